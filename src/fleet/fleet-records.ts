// The fleet journal's records (docs/remote.md "Fleets": the end-to-end tests read this shape):
// stamped v/seq/t like a session's, one JSON line each, append-only.
import { isSafeSessionId } from '../journal/session-id.js';
import { SEVERITIES } from '../runbook/definition.js';
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

/** What one field must hold; a hand-edited or foreign line fails one and is set aside,
 *  so nothing downstream (sessions, export, the notes) meets a wrong type. */
type Check = (value: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSession: Check = (v) => typeof v === 'string' && isSafeSessionId(v);
const isSeverity: Check = (v) => (SEVERITIES as readonly unknown[]).includes(v);
const listOf = (item: Check): Check => (v) => Array.isArray(v) && v.every(item);
const shaped = (fields: Record<string, Check>): Check => (v) => isRecord(v) && Object.entries(fields).every(([name, check]) => check(v[name]));

const SHAPES: Record<NewFleetRecord['type'], Record<string, Check>> = {
  'fleet.started': {
    fleet_id: isString,
    runbook: shaped({ id: isString, title: isString }),
    spec: listOf(isString),
    targets: listOf(isString),
    concurrency: isNumber,
    target_timeout_ms: isNumber,
  },
  'child.started': { target: isString, session_id: isSession },
  'child.finished': { target: isString, session_id: isSession, status: (v) => v === 'concluded', finding: isString, severity: isSeverity, numbers: (v) => isRecord(v) && Object.values(v).every(isNumber) },
  'child.failed': { target: isString, reason: isString, session_id: (v) => v === undefined || isSession(v) },
  'fleet.concluded': {
    fleet_id: isString,
    status: (v) => v === 'concluded' || v === 'cancelled',
    groups: listOf(shaped({ finding: isString, severity: isSeverity, targets: listOf(isString) })),
    failed: listOf(shaped({ target: isString, reason: isString })),
    outliers: listOf(shaped({ target: isString, finding: isString, number: isString, value: isNumber, median: isNumber, ratio: isNumber })),
  },
};

/** Why a whole JSON line is not a fleet record (a hand edit, another version), else undefined. */
export function fleetRecordProblem(value: Record<string, unknown>): string | undefined {
  const type = String(value.type);
  const shape = SHAPES[type as NewFleetRecord['type']];
  if (shape === undefined) return `unknown fleet record type ${JSON.stringify(value.type)}`;
  if (typeof value.t !== 'string') return `${type} without its time`;
  for (const [field, check] of Object.entries(shape)) {
    if (!check(value[field])) return `${type} with ${value[field] === undefined ? 'no' : 'a malformed'} ${field}`;
  }
  return undefined;
}
