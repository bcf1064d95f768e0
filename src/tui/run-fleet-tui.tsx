// A fleet run in a terminal: the fleet view (FleetApp.tsx: the rows, a child's session
// screen on Enter, the fleet's questions asked once on screen) while the children run, then
// the fleet's answer printed below it. q or Ctrl+C cancels every running child and starts no
// new one (their process groups die); a second signal kills every group at once; once the
// fleet concluded, q closes the view.
import { render } from 'ink';
import { ExitCode } from '../errors.js';
import { killAll } from '../exec/process-registry.js';
import { onQuitSignals } from '../exec/quit-signals.js';
import { fleetSummaryLines } from '../fleet/answer-lines.js';
import { FleetProgress, type MemberRow } from '../fleet/fleet-progress.js';
import { FleetRun, type FleetSetup } from '../fleet/run-fleet.js';
import { FleetApp } from './FleetApp.js';
import { openFleetChild } from './fleet-child.js';
import { PromptBroker } from './prompt-broker.js';
import type { SessionController } from './session-controller.js';

const MAX_FPS = 20;

/** The person the fleet asks is the one at this terminal: setup.person is not asked. */
export async function runFleetTui(setup: Omit<FleetSetup, 'childListener' | 'onRecord'>): Promise<number> {
  const progress = new FleetProgress();
  const broker = new PromptBroker();
  const fleet = new FleetRun({ ...setup, person: broker.interactor, childListener: progress.childListener, onRecord: (record) => progress.onRecord(record), keepChildren: true });
  const openChild = async (row: MemberRow): Promise<SessionController | string> => {
    const child = fleet.child(row.target);
    if (child !== undefined) return openFleetChild(child, broker);
    if (row.status === 'failed') return `${row.target} has no session: ${row.reason ?? 'it could not be opened'}`;
    return `${row.target} has not started yet (at most --concurrency targets run at once)`;
  };
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
  const instance = render(<FleetApp progress={progress} title={setup.runbook.title} broker={broker} onQuit={quit} openChild={openChild} />, { exitOnCtrlC: false, maxFps: MAX_FPS, patchConsole: true });
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
