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
const size = (row: FleetRow): number => Object.values(row.numbers)[0] ?? -Infinity;

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
