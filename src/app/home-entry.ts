// `runbook` with no command: the home screen. It has no plain form, so without a terminal
// it says what to run instead (before Ink is loaded).
import { engineSetup } from './engine-setup.js';
import { reportFailure } from './report-failure.js';
import { parseTarget } from '../targets/target.js';
import { requireTerminalForHome } from './interactive.js';

/** `target`: `--target URL`, checked before the screen opens (a bad URL is a usage error). */
/** Returns the exit code. */
export async function openHome(target?: string): Promise<number> {
  requireTerminalForHome();
  const setup = engineSetup({});
  if (target !== undefined) setup.options.target = parseTarget(target);
  const { runTui } = await import('../tui/run-tui.js');
  return runTui({ start: { kind: 'home' }, setup, reportFailure });
}
