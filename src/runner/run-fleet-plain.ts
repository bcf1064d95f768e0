// The plain front end of a fleet run: target-prefixed progress lines on stderr, with
// --json every child event tagged with its target and session, then the fleet records on
// stdout (the last line fleet.concluded). Owns the signals while the fleet runs: the first
// cancels every child (their process groups die) and starts no new one; a second kills
// every group at once and exits.
import { killAll } from '../exec/process-registry.js';
import { onQuitSignals } from '../exec/quit-signals.js';
import { ExitCode } from '../errors.js';
import type { FleetRecord } from '../fleet/fleet-records.js';
import { FleetRun, type FleetSetup } from '../fleet/run-fleet.js';
import { fleetSummaryLines } from '../fleet/answer-lines.js';
import { writeFleetNotes } from '../notes/write-fleet-notes.js';
import { plainRenderer } from './plain-renderer.js';

/** `notes`: `--notes FILE`, the fleet notes (and each child's beside them) once it ends. */
export async function runFleetPlain(setup: Omit<FleetSetup, 'childListener' | 'onRecord'>, output: { json: boolean; notes?: string }): Promise<number> {
  const err = (text: string): void => void process.stderr.write(`${text}\n`);
  const out = (object: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(object)}\n`);
  const fleet = new FleetRun({
    ...setup,
    childListener: (target) =>
      plainRenderer({
        line: (text) => err(`[${target}] ${text}`),
        ...(output.json ? { json: (object: Record<string, unknown>) => out({ ...object, target, session_id: object.session }) } : {}),
      }),
    onRecord: (record: FleetRecord) => {
      for (const line of describe(record)) err(line);
      if (output.json) out(record as unknown as Record<string, unknown>);
    },
  });
  let signalled = false;
  const stopListening = onQuitSignals((signal) => {
    if (signalled) {
      killAll('SIGKILL');
      process.exit(ExitCode.cancelled);
    }
    signalled = true;
    err(`${signal}: cancelling every target's running step (send it again to quit at once)`);
    fleet.cancel();
  });
  try {
    const outcome = await fleet.run();
    for (const line of fleetSummaryLines(outcome.answer)) err(line);
    err(`fleet journal: ${outcome.paths.journal}; notes: runbook export ${fleet.id}`);
    if (output.notes !== undefined) {
      const written = await writeFleetNotes(setup.stateDir, fleet.id, output.notes);
      for (const warning of written.warnings) err(`warning: ${warning}`);
      err(`fleet notes written to ${written.path ?? output.notes}, the children's beside them`);
    }
    return outcome.exitCode;
  } finally {
    stopListening();
  }
}

function describe(record: FleetRecord): string[] {
  switch (record.type) {
    case 'fleet.started':
      return [`fleet ${record.fleet_id}: ${record.runbook.title} (${record.runbook.id}) on ${record.targets.length} targets, ${record.concurrency} at once`];
    case 'child.failed':
      return [`[${record.target}] ✘ could not be diagnosed: ${record.reason}`];
    default:
      return [];
  }
}
