// SessionState folded from journal records: the same fold serves a live session (record by
// record) and resume (the whole journal), so both agree on facts, path and current step.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { JournalRecord, StepFinishedRecord, StepStartedRecord } from '../journal/records.js';
import type { Facts } from '../parsers/types.js';
import type { Runbook } from '../runbook/types.js';
import type { SessionState, StepState } from './events.js';
import { stepView } from './scope.js';

/** The step that comes after a finished attempt (docs/engine.md "Where a session goes next"). */
function nextAfter(runbook: Runbook, record: StepFinishedRecord): string | null {
  if (record.status === 'interrupted' || record.status === 'cancelled') return record.step;
  if (record.decision?.goto) return record.decision.goto;
  if (record.status === 'failed' || record.status === 'timeout') return record.step;
  if (record.kind === 'conclude' && record.status === 'passed') return null;
  const index = runbook.steps.findIndex((s) => s.id === record.step);
  return runbook.steps[index + 1]?.id ?? null;
}

export class SessionModel {
  state: SessionState;
  /** Step id → what the step's id resolves to in templates and expressions. */
  readonly views: Record<string, Record<string, unknown>> = {};
  /** Steps started with no finish yet (after a crash: the interrupted ones). */
  readonly unfinished = new Map<string, StepStartedRecord>();
  /** Snapshot step id → its evidence dir, for compare_to. */
  readonly snapshotDirs = new Map<string, string>();
  /** Snapshot step id → the bundle snapshot it read: a re-run reads the same one again. */
  private readonly snapshotIndexes = new Map<string, number>();

  constructor(
    readonly runbook: Runbook,
    init: Pick<SessionState, 'id' | 'dir' | 'inputs' | 'target' | 'bundle' | 'startedAt'>,
  ) {
    const steps: StepState[] = runbook.steps.map((s) => ({ id: s.id, status: 'pending', attempts: 0 }));
    this.state = { ...init, runbook, status: 'running', currentStep: runbook.steps[0]?.id ?? null, steps, path: [], facts: {} };
  }

  /** The bundle snapshot a step reads: its own if it passed before, else the next unread one. */
  snapshotIndex(stepId: string): number {
    return this.snapshotIndexes.get(stepId) ?? this.snapshotIndexes.size;
  }

  attempts(stepId: string): number {
    return this.state.steps.find((s) => s.id === stepId)?.attempts ?? 0;
  }

  /** Applies one record; `fullFacts` replaces the journal's compacted facts when known. */
  apply(record: JournalRecord, fullFacts?: Facts): void {
    const s = this.state;
    switch (record.type) {
      case 'session.started':
        this.state = { ...s, startedAt: record.t };
        return;
      case 'session.resumed':
        this.state = { ...s, status: 'running' };
        return;
      case 'step.started':
        this.unfinished.set(record.step, record);
        this.state = { ...s, steps: this.updateStep(record.step, (st) => ({ ...st, status: 'running', attempts: Math.max(st.attempts, record.attempt) })) };
        return;
      case 'step.finished': {
        this.unfinished.delete(record.step);
        const facts = fullFacts ?? record.facts ?? {};
        const newState: SessionState = {
          ...s,
          steps: this.updateStep(record.step, (st) => ({ ...st, status: record.status, attempts: Math.max(st.attempts, record.attempt), last: record })),
          currentStep: nextAfter(this.runbook, record),
        };
        if (record.status !== 'interrupted') {
          newState.path = [...s.path, record.step];
          newState.facts = { ...s.facts, [record.step]: facts };
          this.views[record.step] = stepView(record, facts, s.dir);
        }
        const snapshot = record.artifacts?.snapshot;
        if (record.kind === 'snapshot' && record.status === 'passed' && snapshot !== undefined) {
          this.snapshotDirs.set(record.step, isAbsolute(snapshot) ? snapshot : join(s.dir, snapshot));
          if (!this.snapshotIndexes.has(record.step)) this.snapshotIndexes.set(record.step, this.snapshotIndexes.size);
        }
        this.state = newState;
        return;
      }
      case 'session.concluded':
        this.state = { ...s, conclusion: record, currentStep: null };
        return;
      case 'session.ended':
        this.state = { ...s, status: record.status };
        return;
      default:
        return;
    }
  }

  /** Replays a journal read from disk; full facts come from each step's facts artifact. */
  replay(records: JournalRecord[]): void {
    for (const record of records) {
      let full: Facts | undefined;
      const factsFile = record.type === 'step.finished' ? record.artifacts?.facts : undefined;
      if (factsFile !== undefined) {
        try {
          full = JSON.parse(readFileSync(join(this.state.dir, factsFile), 'utf8')) as Facts;
        } catch {
          full = undefined; // the compacted journal copy is what is left
        }
      }
      this.apply(record, full);
    }
  }

  private updateStep(id: string, change: (step: StepState) => StepState): StepState[] {
    return this.state.steps.map((st) => (st.id === id ? change(st) : st));
  }
}
