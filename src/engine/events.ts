// What the engine tells front ends (plain runner, Ink TUI), and what it asks of them.
// The engine never prints and never imports React: it emits these events and awaits
// the Interactor for anything only a person can answer.
import type { Target } from '../targets/target.js';
import type { CommandRecord, JournalRecord, SessionConcludedRecord, StepFinishedRecord, StepStatus, SessionStatus } from '../journal/records.js';
import type { Facts } from '../parsers/types.js';
import type { AskSpec, ChecklistSpec, InputSpec, NoteSpec, Runbook, Step } from '../runbook/types.js';

export type EngineEvent =
  /** Every journal record, once it is durably written. */
  | { type: 'record'; record: JournalRecord }
  /** A redacted chunk of live output from a running step (for the bounded tail). */
  | { type: 'step.output'; step: string; stream: 'stdout' | 'stderr'; text: string }
  /** Periodic progress of a running step: wait countdowns, timeouts, byte counts. */
  | { type: 'step.progress'; step: string; elapsed_ms: number; remaining_ms?: number; bytes?: number; message?: string }
  /** The step that Enter (or the plain runner) will run next; null once the session is over. */
  | { type: 'current'; step: string | null }
  /** Waiting for a person (the Interactor has been called). */
  | { type: 'waiting'; step: string; what: 'answer' | 'checklist' | 'note' | 'confirm' | 'input' };

/** `state` is the session's state with the event applied: a listener given to createSession
 *  or resume needs no session object to read it (those records are written before either returns). */
export type EngineListener = (event: EngineEvent, state: SessionState) => void;

/** A checklist is guidance, not a question: a headless run records it unticked, with this reason. */
export interface ChecklistNotReviewed {
  notReviewed: string;
}

/** What the engine asks of a person. The plain runner answers from flags (and refuses
 *  with a UserError naming the flag when it cannot); the TUI shows a form. */
export interface Interactor {
  /** Returns the chosen choice's `value`. */
  ask(step: Step, spec: AskSpec): Promise<string>;
  /** Returns one boolean per item, or why nobody reviewed the list (it is then recorded unticked). */
  checklist(step: Step, spec: ChecklistSpec): Promise<boolean[] | ChecklistNotReviewed>;
  note(step: Step, spec: NoteSpec): Promise<string>;
  /** A `mutates: true` step, or re-running a step that was interrupted mid-run. */
  confirm(step: Step, question: string, command?: CommandRecord): Promise<boolean>;
  /** An input with no value and no default. */
  input(name: string, spec: InputSpec, context?: InputContext): Promise<string>;
}

export interface InputContext {
  /** For a `pid`: the remote target the session will run on (the pid is looked up there);
   *  absent for this host. */
  target?: Target;
}

export type StepViewStatus = StepStatus | 'pending' | 'running';

export interface StepState {
  id: string;
  status: StepViewStatus;
  attempts: number;
  /** The last finish record, when the step has finished at least once. */
  last?: StepFinishedRecord;
}

/** Everything a front end needs to draw, derived from the journal plus live state. */
export interface SessionState {
  id: string;
  dir: string;
  runbook: Runbook;
  status: SessionStatus;
  inputs: Record<string, unknown>;
  target: string;
  bundle?: string;
  startedAt: string;
  currentStep: string | null;
  steps: StepState[];
  /** Step ids in the order they were actually run (the path taken). */
  path: string[];
  /** Facts per finished step id. */
  facts: Record<string, Facts>;
  conclusion?: SessionConcludedRecord;
}
