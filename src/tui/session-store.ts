// The TUI's read side of a session: engine events in, one immutable snapshot out for
// useSyncExternalStore. Events are batched (a flood of output chunks becomes one React
// update per BATCH_MS, the pattern of gemini-cli's useConsoleMessages), and the output
// tail is kept here, bounded, outside React state (style.md practice 2).
import type { EngineEvent, SessionState } from '../engine/events.js';
import type { NoteAddedRecord, StepStartedRecord } from '../journal/records.js';
import { DEFAULT_TAIL_LIMITS, OutputTail, type OutputTailLimits, type TailView } from './output-tail.js';

export const BATCH_MS = 50;

export interface StepProgress {
  elapsedMs: number;
  remainingMs?: number;
  bytes?: number;
  message?: string;
  /** Date.now() when the progress event arrived, so a view can count on between events. */
  at: number;
}

export interface LiveStep {
  step: string;
  attempt: number;
  /** Date.now() at step.started. */
  since: number;
  progress?: StepProgress;
  tail: TailView;
}

export interface SessionView {
  state: SessionState;
  /** The running step, with its bounded output tail; null between steps. */
  live: LiveStep | null;
  /** The last step.started record of each step: the exact command it ran. */
  started: Readonly<Record<string, StepStartedRecord>>;
  notes: readonly NoteAddedRecord[];
}

/** What the store reads from: a Session (or anything with its state and events). */
export interface SessionEvents {
  readonly state: SessionState;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

export interface SessionStoreOptions {
  batchMs?: number;
  tail?: OutputTailLimits;
}

export class SessionStore {
  private snapshot: SessionView;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;
  private readonly batchMs: number;
  private readonly tailLimits: OutputTailLimits;
  private timer: NodeJS.Timeout | null = null;
  private live: { step: string; attempt: number; since: number; progress?: StepProgress; tail: OutputTail } | null = null;
  private started: Record<string, StepStartedRecord> = {};
  private notes: NoteAddedRecord[] = [];

  constructor(
    private readonly source: SessionEvents,
    options: SessionStoreOptions = {},
  ) {
    this.batchMs = options.batchMs ?? BATCH_MS;
    this.tailLimits = options.tail ?? DEFAULT_TAIL_LIMITS;
    this.snapshot = this.build();
    this.unsubscribe = source.subscribe((event) => this.onEvent(event));
  }

  /** For useSyncExternalStore. */
  readonly subscribe = (onChange: () => void): (() => void) => {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  };

  /** For useSyncExternalStore: the same object until the next batch is flushed. */
  readonly getSnapshot = (): SessionView => this.snapshot;

  /** Publishes pending changes now (the end of a session must not wait for a timer). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.snapshot = this.build();
    for (const listener of this.listeners) listener();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribe();
    this.listeners.clear();
  }

  private onEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'record': {
        const record = event.record;
        if (record.type === 'step.started') {
          this.started = { ...this.started, [record.step]: record };
          this.live = { step: record.step, attempt: record.attempt, since: Date.now(), tail: new OutputTail(this.tailLimits) };
        } else if (record.type === 'step.finished') {
          if (this.live?.step === record.step) this.live = null;
        } else if (record.type === 'note.added') {
          this.notes = [...this.notes, record];
        }
        break;
      }
      case 'step.output':
        if (this.live?.step === event.step) this.live.tail.append(event.text);
        break;
      case 'step.progress':
        if (this.live?.step === event.step) {
          this.live.progress = {
            elapsedMs: event.elapsed_ms,
            at: Date.now(),
            ...(event.remaining_ms !== undefined ? { remainingMs: event.remaining_ms } : {}),
            ...(event.bytes !== undefined ? { bytes: event.bytes } : {}),
            ...(event.message !== undefined ? { message: event.message } : {}),
          };
        }
        break;
      default:
        break;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.batchMs);
  }

  private build(): SessionView {
    const live = this.live;
    return {
      state: this.source.state,
      live: live
        ? {
            step: live.step,
            attempt: live.attempt,
            since: live.since,
            tail: live.tail.view(),
            ...(live.progress ? { progress: live.progress } : {}),
          }
        : null,
      started: this.started,
      notes: this.notes,
    };
  }
}
