// The session journal: one JSON object per line, append-only, version 1.
// This file is the contract between the engine (writer), resume, `runbook sessions`,
// and the notes exporters (readers). Everything a session did is here; notes are
// rendered from it, so notes and a resumed session can never disagree.
// Values are redacted before a record is written (redact/).
import type { Facts } from '../parsers/types.js';
import type { Severity, StepKind } from '../runbook/types.js';
import type { OutputExcerpt } from '../exec/output-excerpt.js';

export const JOURNAL_VERSION = 1;

export type StepStatus =
  | 'passed'
  | 'failed'
  | 'skipped'
  | 'timeout'
  | 'cancelled'
  /** Was running when the tool died; found on resume. */
  | 'interrupted';

export type SessionStatus = 'running' | 'concluded' | 'failed' | 'cancelled' | 'interrupted';

/** A command as it ran: argv after templating, plus the line to paste into a shell. */
export interface CommandRecord {
  argv: string[];
  /** POSIX-shell-quoted form of argv (or the script for `shell:` steps). */
  display: string;
  /** Environment variables the step set (names and redacted values). */
  env?: Record<string, string>;
  cwd?: string;
  /** `local`, `ssh://…`, `kubectl://…`, or `bundle` when replayed. */
  target: string;
}

/** Why a branch was taken: the expression, every value it read, and the result. */
export interface DecisionRecord {
  /** Index into the step's `next` list; -1 when no rule matched and the step fell through. */
  rule: number;
  expression?: string;
  /** Fact paths the expression read, with their values (e.g. {"compare.stw_p99_ms": 27.1}). */
  values: Record<string, unknown>;
  result?: boolean;
  goto: string | null;
  /** One line for people: "stw_p99_ms = 27.1 > 10 → gc-stw-spike". */
  explanation: string;
  /** `answer`: an ask choice's goto routed the session; `next` (default): a `next` rule. */
  source?: 'next' | 'answer';
  /** Rules evaluated before the one that matched, with their (false) results. */
  rejected?: Array<{ rule: number; expression: string; values: Record<string, unknown>; error?: string }>;
}

interface RecordBase {
  v: typeof JOURNAL_VERSION;
  /** Monotonic per journal, from 1. */
  seq: number;
  /** ISO-8601 with milliseconds. */
  t: string;
}

/** The Alertmanager alert a session was started from (`runbook run --alert`), as received
 *  (labels and annotations redacted like every value). */
export interface AlertRecord {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** ISO-8601, Alertmanager's startsAt. */
  starts_at: string;
  fingerprint?: string;
  /** The Prometheus rule's graph link (generatorURL). */
  generator_url?: string;
}

export interface SessionStartedRecord extends RecordBase {
  type: 'session.started';
  session_id: string;
  runbook: { id: string; title: string; file: string; sha256: string };
  inputs: Record<string, unknown>;
  /** Inputs whose values were masked (type secret). */
  secret_inputs: string[];
  target: string;
  host: string;
  user: string;
  /** Replay source, when the session runs against a captured bundle. */
  bundle?: string;
  /** The alert the session answers, when started from one. */
  alert?: AlertRecord;
  tool_version: string;
  mode: 'interactive' | 'plain';
}

export interface SessionResumedRecord extends RecordBase {
  type: 'session.resumed';
  /** Steps found running with no finish, now marked interrupted. */
  interrupted: string[];
}

export interface StepStartedRecord extends RecordBase {
  type: 'step.started';
  step: string;
  kind: StepKind;
  /** 1 for the first run; re-runs and retries after interruption count up. */
  attempt: number;
  title?: string;
  command?: CommandRecord;
}

export interface StepFinishedRecord extends RecordBase {
  type: 'step.finished';
  step: string;
  kind: StepKind;
  attempt: number;
  status: StepStatus;
  duration_ms: number;
  exit_code?: number | null;
  signal?: string | null;
  /** Why it failed, was skipped or cancelled, in words. */
  reason?: string;
  /** Parsed/computed facts, compacted (long arrays capped; full set in artifacts.facts). */
  facts?: Facts;
  /** Facts every step of its kind gets (exit_code, http_status, answer, waited_ms, …; docs/engine.md). */
  meta?: Facts;
  warnings?: string[];
  /** Relative paths inside the session dir: stdout, stderr, raw evidence, full facts. */
  artifacts?: Record<string, string>;
  output?: OutputExcerpt;
  decision?: DecisionRecord;
  /** Manual steps. */
  answer?: string;
  checklist?: Array<{ item: string; checked: boolean }>;
  note?: string;
  /** True when the engineer ran the command elsewhere and pasted the output. */
  by_hand?: boolean;
}

export interface NoteAddedRecord extends RecordBase {
  type: 'note.added';
  text: string;
  /** The step that was current when the note was written. */
  step?: string;
}

export interface SessionConcludedRecord extends RecordBase {
  type: 'session.concluded';
  step: string;
  finding: string;
  severity: Severity;
  text: string;
  remediation?: string;
  /** The conclusion's key numbers (conclude.numbers) that rendered as finite numbers. */
  numbers?: Record<string, number>;
}

export interface SessionEndedRecord extends RecordBase {
  type: 'session.ended';
  status: Exclude<SessionStatus, 'running'>;
  exit_code: number;
  reason?: string;
}

export interface SessionExportedRecord extends RecordBase {
  type: 'session.exported';
  format: 'md' | 'json';
  path: string;
}

export interface RedactionRecord extends RecordBase {
  type: 'redaction';
  /** Running total of masked values in this session, by rule (e.g. {"secret-input": 2, "jwt": 1}). */
  counts: Record<string, number>;
}

export type JournalRecord =
  | SessionStartedRecord
  | SessionResumedRecord
  | StepStartedRecord
  | StepFinishedRecord
  | NoteAddedRecord
  | SessionConcludedRecord
  | SessionEndedRecord
  | SessionExportedRecord
  | RedactionRecord;

export type JournalRecordType = JournalRecord['type'];

/** What a record looks like before the journal stamps v, seq and t. */
export type NewRecord = JournalRecord extends infer R
  ? R extends JournalRecord
    ? Omit<R, 'v' | 'seq' | 't'>
    : never
  : never;
