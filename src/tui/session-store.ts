// The TUI's read side of a session: engine events in, one immutable snapshot out for
// useSyncExternalStore. Events are batched (a flood of output chunks becomes one React
// update per BATCH_MS, the pattern of gemini-cli's useConsoleMessages), and the output
// tail is kept here, bounded, outside React state (style.md practice 2).
import type { EngineEvent, SessionState } from '../engine/events.js';
import type { CommandRecord, JournalRecord, NoteAddedRecord, SessionConcludedRecord, StepFinishedRecord, StepStartedRecord } from '../journal/records.js';
import { DEFAULT_TAIL_LIMITS, OutputTail, type OutputTailLimits, type TailView } from './output-tail.js';

const BATCH_MS = 50;

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

/** What has happened, in order: drawn once each, in Ink's one <Static> (append-only). */
export type LogEntry =
  | { kind: 'header' }
  /** `command`: what this attempt ran (its step.started record), filled in. */
  | { kind: 'finished'; record: StepFinishedRecord; command?: CommandRecord }
  | { kind: 'note'; record: NoteAddedRecord }
  | { kind: 'concluded'; record: SessionConcludedRecord }
  | { kind: 'message'; text: string; tone: 'info' | 'warn' };

export interface SessionView {
  state: SessionState;
  /** The running step, with its bounded output tail; null between steps. */
  live: LiveStep | null;
  /** The last step.started record of each step: the exact command it ran. */
  started: Readonly<Record<string, StepStartedRecord>>;
  log: readonly LogEntry[];
}

/** What the store reads from: a Session (or anything with its state and events). */
export interface SessionEvents {
  readonly state: SessionState;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

export interface SessionStoreOptions {
  batchMs?: number;
  tail?: OutputTailLimits;
  /** Records written before the store subscribed (a resumed session's journal). */
  history?: readonly JournalRecord[];
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
  /** Appended in place; each snapshot gets its own copy (one copy per batch, not per event). */
  private readonly log: LogEntry[] = [{ kind: 'header' }];

  constructor(
    private readonly source: SessionEvents,
    options: SessionStoreOptions = {},
  ) {
    this.batchMs = options.batchMs ?? BATCH_MS;
    this.tailLimits = options.tail ?? DEFAULT_TAIL_LIMITS;
    for (const record of options.history ?? []) this.onRecord(record);
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

  /** A line for the log (a copied command, where the notes were written). */
  addMessage(text: string, tone: 'info' | 'warn' = 'info'): void {
    this.log.push({ kind: 'message', text, tone });
    this.flush();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unsubscribe();
    this.listeners.clear();
  }

  private onEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'record':
        this.onRecord(event.record);
        break;
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

  private onRecord(record: JournalRecord): void {
    if (record.type === 'step.started') {
      this.started = { ...this.started, [record.step]: record };
      this.live = { step: record.step, attempt: record.attempt, since: Date.now(), tail: new OutputTail(this.tailLimits) };
    } else if (record.type === 'step.finished') {
      if (this.live?.step === record.step) this.live = null;
      const started = this.started[record.step];
      const command = started?.attempt === record.attempt ? started.command : undefined;
      this.log.push({ kind: 'finished', record, ...(command !== undefined ? { command } : {}) });
    } else if (record.type === 'note.added') {
      this.log.push({ kind: 'note', record });
    } else if (record.type === 'session.concluded') {
      this.log.push({ kind: 'concluded', record });
    }
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
      log: this.log.slice(),
    };
  }
}
