// One entry per fleet for `runbook sessions`: its runbook, times, status and children
// (target, session, finding or why not), folded from the fleet journal.
import { fleetAnswer } from './fleet-answer.js';
import { fleetIds, fleetPaths, readFleetJournal } from './fleet-dir.js';

export interface FleetChildSummary {
  target: string;
  session_id?: string;
  /** `concluded`, `failed`, or `unfinished` (no record yet). */
  status: 'concluded' | 'failed' | 'unfinished';
  finding?: string;
  severity?: string;
  reason?: string;
}

export interface FleetSummary {
  kind: 'fleet';
  id: string;
  runbook: string;
  started: string;
  updated: string;
  /** concluded, cancelled, or unfinished (still running, or the tool stopped). */
  status: 'concluded' | 'cancelled' | 'unfinished';
  children: FleetChildSummary[];
}

export async function listFleets(stateDir: string): Promise<FleetSummary[]> {
  const fleets: FleetSummary[] = [];
  for (const id of fleetIds(stateDir)) {
    const { records } = await readFleetJournal(fleetPaths(stateDir, id).journal);
    const answer = fleetAnswer(records);
    if (answer.started === undefined) continue;
    const concluded = records.findLast((r) => r.type === 'fleet.concluded');
    const sessionOf = new Map(records.flatMap((r) => (r.type === 'child.started' ? [[r.target, r.session_id] as const] : [])));
    const children: FleetChildSummary[] = answer.started.targets.map((target) => {
      const row = answer.rows.find((r) => r.target === target);
      if (row !== undefined) return { target, session_id: row.session_id, status: 'concluded', finding: row.finding, severity: row.severity };
      const failed = answer.failed.find((f) => f.target === target);
      const session = failed?.session_id ?? sessionOf.get(target);
      return { target, ...(session !== undefined ? { session_id: session } : {}), status: failed !== undefined ? 'failed' : 'unfinished', ...(failed !== undefined ? { reason: failed.reason } : {}) };
    });
    fleets.push({
      kind: 'fleet',
      id,
      runbook: answer.started.runbook.id,
      started: answer.started.t,
      updated: records.at(-1)!.t,
      status: concluded?.type === 'fleet.concluded' ? concluded.status : 'unfinished',
      children,
    });
  }
  return fleets.sort((a, b) => b.started.localeCompare(a.started) || b.id.localeCompare(a.id));
}

/** The fleet id matching exactly or by unique prefix, else undefined (it may be a session). */
export function findFleet(stateDir: string, idOrPrefix: string): string | undefined {
  const ids = fleetIds(stateDir);
  if (ids.includes(idOrPrefix)) return idOrPrefix;
  const byPrefix = ids.filter((id) => id.startsWith(idOrPrefix));
  return byPrefix.length === 1 ? byPrefix[0] : undefined;
}
