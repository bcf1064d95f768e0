// `runbook` with no command: the home screen. It has no plain form, so without a terminal
// it says what to run instead (before Ink is loaded).
import { engineSetup } from '../runner/engine-setup.js';
import { parseTarget } from '../targets/target.js';
import { requireTerminalForHome } from './interactive.js';
import { setExitCode } from './exit-code.js';

/** `target`: `--target URL`, checked before the screen opens (a bad URL is a usage error). */
export async function openHome(target?: string): Promise<void> {
  requireTerminalForHome();
  const setup = engineSetup({});
  if (target !== undefined) setup.options.target = parseTarget(target);
  const { runTui } = await import('../tui/run-tui.js');
  setExitCode(await runTui({ start: { kind: 'home' }, setup }));
}
