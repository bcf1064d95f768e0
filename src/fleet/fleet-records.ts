// The fleet journal's records (docs/remote.md "Fleets"; the shape fleet-shared.md fixes):
// stamped v/seq/t like a session's, one JSON line each, append-only.
import type { Severity } from '../runbook/types.js';

interface Stamp {
  v: number;
  seq: number;
  t: string;
}

export interface FleetStartedRecord {
  type: 'fleet.started';
  fleet_id: string;
  runbook: { id: string; title: string; file: string; sha256: string };
  /** What named the fleet: the --fleet URLs, the --targets file, or the --target URLs. */
  spec: string[];
  /** Every member, in order, including pods that could not be diagnosed. */
  targets: string[];
  concurrency: number;
  target_timeout_ms: number;
}

export interface ChildStartedRecord {
  type: 'child.started';
  target: string;
  session_id: string;
}

export interface ChildFinishedRecord {
  type: 'child.finished';
  target: string;
  session_id: string;
  status: 'concluded';
  finding: string;
  severity: Severity;
  numbers: Record<string, number>;
}

export interface ChildFailedRecord {
  type: 'child.failed';
  target: string;
  reason: string;
  /** Absent when no session could be opened (unreachable, no such process). */
  session_id?: string;
}

export interface FleetGroup {
  finding: string;
  severity: Severity;
  targets: string[];
}

export interface FleetOutlier {
  target: string;
  finding: string;
  /** The label of the group's first key number, the one compared. */
  number: string;
  value: number;
  /** The median of the same number over the rest of the group. */
  median: number;
  ratio: number;
}

export interface FleetConcludedRecord {
  type: 'fleet.concluded';
  fleet_id: string;
  status: 'concluded' | 'cancelled';
  groups: FleetGroup[];
  failed: Array<{ target: string; reason: string }>;
  outliers: FleetOutlier[];
}

export type NewFleetRecord = FleetStartedRecord | ChildStartedRecord | ChildFinishedRecord | ChildFailedRecord | FleetConcludedRecord;
export type FleetRecord = NewFleetRecord & Stamp;

const REQUIRED: Record<NewFleetRecord['type'], Record<string, 'string' | 'object' | 'number'>> = {
  'fleet.started': { fleet_id: 'string', runbook: 'object', spec: 'object', targets: 'object' },
  'child.started': { target: 'string', session_id: 'string' },
  'child.finished': { target: 'string', session_id: 'string', status: 'string', finding: 'string', severity: 'string', numbers: 'object' },
  'child.failed': { target: 'string', reason: 'string' },
  'fleet.concluded': { fleet_id: 'string', groups: 'object', failed: 'object', outliers: 'object' },
};

/** Why a whole JSON line is not a fleet record (a hand edit, another version), else undefined. */
export function fleetRecordProblem(value: Record<string, unknown>): string | undefined {
  const type = String(value.type);
  const shape = REQUIRED[type as NewFleetRecord['type']];
  if (shape === undefined) return `unknown fleet record type ${JSON.stringify(value.type)}`;
  if (typeof value.t !== 'string') return `${type} without its time`;
  for (const [field, kind] of Object.entries(shape)) {
    if (typeof value[field] !== kind || value[field] === null) return `${type} with ${value[field] === undefined ? 'no' : 'a malformed'} ${field}`;
  }
  return undefined;
}
