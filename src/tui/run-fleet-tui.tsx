// A fleet run in a terminal: the fleet view (FleetView.tsx) while the children run, then the
// fleet's answer printed below it. q or Ctrl+C cancels every running child and starts no
// new one (their process groups die); a second signal kills every group at once; once the
// fleet concluded, q closes the view.
import { render } from 'ink';
import { ExitCode } from '../errors.js';
import { killAll } from '../exec/process-registry.js';
import { onQuitSignals } from '../exec/quit-signals.js';
import { fleetSummaryLines } from '../fleet/answer-lines.js';
import { FleetProgress } from '../fleet/fleet-progress.js';
import { FleetRun, type FleetSetup } from '../fleet/run-fleet.js';
import { FleetView } from './FleetView.js';

const MAX_FPS = 20;

export async function runFleetTui(setup: Omit<FleetSetup, 'childListener' | 'onRecord'>): Promise<number> {
  const progress = new FleetProgress();
  const fleet = new FleetRun({ ...setup, childListener: progress.childListener, onRecord: (record) => progress.onRecord(record) });
  let cancelled = false;
  let closeView: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (closeView = resolve));
  const quit = (): void => {
    if (progress.snapshot().concluded) closeView();
    else if (cancelled) {
      killAll('SIGKILL');
      process.exit(ExitCode.cancelled);
    } else {
      cancelled = true;
      fleet.cancel();
    }
  };
  const stopListening = onQuitSignals(quit);
  const instance = render(<FleetView progress={progress} title={setup.runbook.title} onQuit={quit} />, { exitOnCtrlC: false, maxFps: MAX_FPS, patchConsole: true });
  try {
    const outcome = await fleet.run();
    // A cancelled fleet closes at once; a finished one stays on screen until q.
    if (!cancelled) await closed;
    instance.unmount();
    for (const line of fleetSummaryLines(outcome.answer)) process.stderr.write(`${line}\n`);
    process.stderr.write(`fleet journal: ${outcome.paths.journal}; notes: runbook export ${fleet.id}\n`);
    return outcome.exitCode;
  } finally {
    stopListening();
    instance.unmount();
  }
}
