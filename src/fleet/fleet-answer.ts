// The fleet's answer, a pure function of the fleet journal and the children's
// session.concluded records: how many instances reached each finding, the per-instance
// table (severity, then size), outliers, and the instances that could not be diagnosed.
import type { SessionConcludedRecord } from '../journal/records.js';
import { SEVERITIES, type Severity } from '../runbook/types.js';
import type { FleetGroup, FleetOutlier, FleetRecord } from './fleet-records.js';
import { findOutliers } from './outliers.js';

export interface FleetRow {
  target: string;
  session_id: string;
  finding: string;
  severity: Severity;
  numbers: Record<string, number>;
}

export interface FleetAnswer {
  fleet_id: string;
  started?: Extract<FleetRecord, { type: 'fleet.started' }>;
  groups: FleetGroup[];
  rows: FleetRow[];
  failed: Array<{ target: string; reason: string; session_id?: string }>;
  outliers: FleetOutlier[];
  /** Members neither concluded nor recorded failed: still running, or the run stopped. */
  pending: string[];
}

const rank = (severity: Severity): number => SEVERITIES.indexOf(severity);
/** The number most rows of one severity carry (first seen on a tie): rows are sized on a
 *  label they share, never arenas against MiB; a row without it sorts last. */
function sizeBy(rows: FleetRow[]): (row: FleetRow) => number {
  const bySeverity = new Map<Severity, string | undefined>();
  for (const severity of new Set(rows.map((r) => r.severity))) {
    const counts = new Map<string, number>();
    for (const row of rows) if (row.severity === severity) for (const label of Object.keys(row.numbers)) counts.set(label, (counts.get(label) ?? 0) + 1);
    bySeverity.set(severity, [...counts.entries()].reduce<[string, number] | undefined>((best, entry) => (best === undefined || entry[1] > best[1] ? entry : best), undefined)?.[0]);
  }
  return (row) => {
    const label = bySeverity.get(row.severity);
    return label !== undefined ? (row.numbers[label] ?? -Infinity) : -Infinity;
  };
}

export function fleetAnswer(records: FleetRecord[], conclusions: ReadonlyMap<string, SessionConcludedRecord> = new Map()): FleetAnswer {
  const started = records.find((r): r is Extract<FleetRecord, { type: 'fleet.started' }> => r.type === 'fleet.started');
  const rowsByTarget = new Map<string, FleetRow>();
  const failedByTarget = new Map<string, FleetAnswer['failed'][number]>();
  for (const record of records) {
    if (record.type === 'child.finished') {
      // The child's own conclusion is the source; the fleet record is its copy.
      const own = conclusions.get(record.session_id);
      rowsByTarget.set(record.target, {
        target: record.target,
        session_id: record.session_id,
        finding: own?.finding ?? record.finding,
        severity: own?.severity ?? record.severity,
        numbers: own?.numbers ?? record.numbers,
      });
      failedByTarget.delete(record.target);
    } else if (record.type === 'child.failed') {
      failedByTarget.set(record.target, { target: record.target, reason: record.reason, ...(record.session_id !== undefined ? { session_id: record.session_id } : {}) });
      rowsByTarget.delete(record.target);
    }
  }
  const size = sizeBy([...rowsByTarget.values()]);
  const rows = [...rowsByTarget.values()].sort((a, b) => rank(b.severity) - rank(a.severity) || size(b) - size(a) || a.target.localeCompare(b.target));
  const byFinding = new Map<string, FleetRow[]>();
  for (const row of rows) byFinding.set(row.finding, [...(byFinding.get(row.finding) ?? []), row]);
  const groups: FleetGroup[] = [...byFinding.entries()]
    .map(([finding, members]) => ({ finding, severity: members[0]!.severity, targets: members.map((m) => m.target) }))
    .sort((a, b) => rank(b.severity) - rank(a.severity) || b.targets.length - a.targets.length || a.finding.localeCompare(b.finding));
  const outliers = [...byFinding.values()].flatMap((members) => findOutliers(members));
  const members = started?.targets ?? [...rowsByTarget.keys(), ...failedByTarget.keys()];
  const pending = members.filter((t) => !rowsByTarget.has(t) && !failedByTarget.has(t));
  const failedOrder = members.filter((t) => failedByTarget.has(t)).map((t) => failedByTarget.get(t)!);
  return {
    fleet_id: started?.fleet_id ?? '',
    ...(started !== undefined ? { started } : {}),
    groups,
    rows,
    failed: failedOrder,
    outliers,
    pending,
  };
}
