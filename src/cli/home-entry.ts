// `runbook` with no command: the home screen. It has no plain form, so without a terminal
// it says what to run instead (before Ink is loaded).
import { engineSetup } from '../runner/engine-setup.js';
import { requireTerminalForHome } from './interactive.js';
import { setExitCode } from './exit-code.js';

export async function openHome(): Promise<void> {
  requireTerminalForHome();
  const setup = engineSetup({});
  const { runTui } = await import('../tui/run-tui.js');
  setExitCode(await runTui({ start: { kind: 'home' }, setup }));
}
