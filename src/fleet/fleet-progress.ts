// Where every member of a running fleet stands, for a live view (the TUI fleet view): one
// row per target with its session, current step, start and end, finding or why not.
// Folded from the same events the plain runner prints; a fresh snapshot after each change
// (safe for useSyncExternalStore).
import type { EngineListener } from '../engine/events.js';
import type { Severity } from '../runbook/types.js';
import type { FleetRecord } from './fleet-records.js';

export interface MemberRow {
  target: string;
  status: 'waiting' | 'running' | 'concluded' | 'failed';
  session_id?: string;
  step?: string;
  /** ms since the epoch. */
  startedAt?: number;
  endedAt?: number;
  finding?: string;
  severity?: Severity;
  reason?: string;
}

export interface FleetProgressState {
  fleetId?: string;
  rows: MemberRow[];
  concluded: boolean;
}

export class FleetProgress {
  private state: FleetProgressState = { rows: [], concluded: false };
  private readonly listeners = new Set<() => void>();

  readonly snapshot = (): FleetProgressState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** For FleetSetup.onRecord. */
  readonly onRecord = (record: FleetRecord, now = Date.now()): void => {
    switch (record.type) {
      case 'fleet.started':
        this.set({ fleetId: record.fleet_id, rows: record.targets.map((target) => ({ target, status: 'waiting' })), concluded: false });
        return;
      case 'child.started':
        return this.update(record.target, { status: 'running', session_id: record.session_id });
      case 'child.finished':
        return this.update(record.target, { status: 'concluded', finding: record.finding, severity: record.severity, endedAt: now, step: undefined });
      case 'child.failed':
        return this.update(record.target, { status: 'failed', reason: record.reason, endedAt: now, step: undefined, ...(record.session_id !== undefined ? { session_id: record.session_id } : {}) });
      case 'fleet.concluded':
        this.set({ ...this.state, concluded: true });
    }
  };

  /** For FleetSetup.childListener: the running step of each child. */
  readonly childListener = (target: string): EngineListener => {
    this.update(target, { startedAt: Date.now() });
    return (event) => {
      if (event.type === 'current' && event.step !== null) this.update(target, { step: event.step });
    };
  };

  private update(target: string, change: Partial<MemberRow>): void {
    const rows = this.state.rows.map((row) => (row.target === target ? withoutUndefined({ ...row, ...change }) : row));
    this.set({ ...this.state, rows });
  }

  private set(next: FleetProgressState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

function withoutUndefined(row: MemberRow): MemberRow {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as unknown as MemberRow;
}
