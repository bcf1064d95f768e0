// The content of incident notes, built from the journal alone (plus the runbook, when given,
// for titles and the graph). Markdown and JSON render this same model, so the two exports
// always say the same thing. Works on any prefix of a journal: a running session is
// "in progress", a step started but not finished is "running" (or "interrupted" once the
// session ended or was resumed without it).
import { prometheusGraphs, type PrometheusGraph } from './prometheus-graphs.js';
import type {
  AlertRecord,
  CommandRecord,
  JournalRecord,
  SessionStartedRecord,
  StepFinishedRecord,
  StepStatus,
} from '../journal/records.js';
import type { Runbook, Severity, StepKind } from '../runbook/types.js';

export interface NotesInput {
  records: JournalRecord[];
  runbook?: Runbook;
  /** Session directory, so artifact paths can be named in full. */
  sessionDir?: string;
  /** Lines of output shown per step, from the head and from the tail (default 15). */
  excerptLines?: number;
}

export type Outcome = 'in progress' | 'concluded' | 'failed' | 'cancelled' | 'interrupted';

export interface EvidenceItem {
  step: string;
  title: string;
  /** The decision's one-line explanation, or "answer: …" for an ask step. */
  explanation: string;
  values: Record<string, unknown>;
}

/** A step attempt in the timeline: its start (title, command) joined with its finish. The
 *  finish fields are the journal's own (records.ts), so the two cannot drift. */
export interface StepEntry
  extends Partial<Pick<
    StepFinishedRecord,
    | 'duration_ms' | 'exit_code' | 'signal' | 'reason' | 'facts' | 'warnings' | 'artifacts'
    | 'output' | 'decision' | 'answer' | 'checklist' | 'note' | 'by_hand'
  >> {
  type: 'step';
  step: string;
  kind: StepKind;
  title: string;
  attempt: number;
  started_at: string;
  finished_at?: string;
  status: StepStatus | 'running';
  command?: CommandRecord;
}

export interface NoteEntry {
  type: 'note';
  at: string;
  text: string;
  step?: string;
}

export interface ResumeEntry {
  type: 'resumed';
  at: string;
  interrupted: string[];
}

export type TimelineEntry = StepEntry | NoteEntry | ResumeEntry;

export interface SessionNotes {
  session_id: string;
  runbook: { id: string; title: string; file: string; sha256: string };
  target: string;
  host: string;
  user: string;
  /** The process examined, when an input names it (an input of type pid, or named pid). */
  pid?: string;
  bundle?: string;
  mode: 'interactive' | 'plain';
  tool_version: string;
  inputs: Record<string, unknown>;
  secret_inputs: string[];
  started_at: string;
  ended_at?: string;
  /** To the end, or to the last record of a session still in progress. */
  duration_ms: number;
  outcome: Outcome;
  exit_code?: number;
  end_reason?: string;
  conclusion?: {
    step: string;
    finding: string;
    severity: Severity;
    text: string;
    remediation?: string;
    evidence: EvidenceItem[];
  };
  timeline: TimelineEntry[];
  /** Step ids in the order they ran (a retried step appears once per run). */
  path: string[];
  /** Final step statuses, for the graph. */
  statuses: Record<string, StepStatus | 'running'>;
  redaction: { total: number; counts: Record<string, number> };
  /** The alert the session was started from (`runbook run --alert`). */
  alert?: AlertRecord;
  /** The Prometheus UI's graph of each query run, over the incident's time range. */
  graphs?: PrometheusGraph[];
}

/** Builds the notes model; returns undefined when the journal has no session.started. */
export function buildSessionNotes(input: NotesInput): SessionNotes | undefined {
  const records = [...input.records].sort((a, b) => a.seq - b.seq);
  const started = records.find((r): r is SessionStartedRecord => r.type === 'session.started');
  if (started === undefined) return undefined;
  const titles = new Map(input.runbook?.steps.map((s) => [s.id, s.title ?? s.id]) ?? []);
  const timeline: TimelineEntry[] = [];
  const open = new Map<string, StepEntry>();
  const path: string[] = [];
  const notes: SessionNotes = {
    session_id: started.session_id,
    runbook: started.runbook,
    target: started.target,
    host: started.host,
    user: started.user,
    ...(started.bundle !== undefined && { bundle: started.bundle }),
    mode: started.mode,
    tool_version: started.tool_version,
    inputs: started.inputs,
    secret_inputs: started.secret_inputs,
    started_at: started.t,
    duration_ms: 0,
    outcome: 'in progress',
    timeline,
    path,
    statuses: {},
    redaction: { total: 0, counts: {} },
  };
  const pid = processId(started.inputs, input.runbook);
  if (pid !== undefined) notes.pid = pid;

  const interruptOpen = (reason: string) => {
    for (const entry of open.values()) {
      entry.status = 'interrupted';
      entry.reason = reason;
      notes.statuses[entry.step] = 'interrupted';
    }
    open.clear();
  };

  for (const record of records) {
    switch (record.type) {
      case 'step.started': {
        const entry: StepEntry = {
          type: 'step',
          step: record.step,
          kind: record.kind,
          title: record.title ?? titles.get(record.step) ?? record.step,
          attempt: record.attempt,
          started_at: record.t,
          status: 'running',
          ...(record.command !== undefined && { command: record.command }),
        };
        open.set(record.step, entry);
        timeline.push(entry);
        path.push(record.step);
        notes.statuses[record.step] = 'running';
        break;
      }
      case 'step.finished': {
        let entry = open.get(record.step);
        if (entry === undefined) {
          // A finish without its start (a torn journal): still tell what is known.
          entry = {
            type: 'step',
            step: record.step,
            kind: record.kind,
            title: titles.get(record.step) ?? record.step,
            attempt: record.attempt,
            started_at: record.t,
            status: record.status,
          };
          timeline.push(entry);
          path.push(record.step);
        }
        open.delete(record.step);
        finishEntry(entry, record);
        notes.statuses[record.step] = record.status;
        break;
      }
      case 'note.added':
        timeline.push({ type: 'note', at: record.t, text: record.text, ...(record.step !== undefined && { step: record.step }) });
        break;
      case 'session.resumed':
        interruptOpen('the tool stopped while this step was running');
        timeline.push({ type: 'resumed', at: record.t, interrupted: record.interrupted });
        break;
      case 'session.concluded':
        notes.conclusion = {
          step: record.step,
          finding: record.finding,
          severity: record.severity,
          text: record.text,
          ...(record.remediation !== undefined && { remediation: record.remediation }),
          evidence: [],
        };
        break;
      case 'session.ended':
        interruptOpen(record.reason ?? `the session ended (${record.status}) while this step was running`);
        notes.outcome = record.status;
        notes.ended_at = record.t;
        notes.exit_code = record.exit_code;
        if (record.reason !== undefined) notes.end_reason = record.reason;
        break;
      case 'redaction':
        notes.redaction = { total: sum(Object.values(record.counts)), counts: record.counts };
        break;
      case 'session.started':
      case 'session.exported':
        break;
    }
  }
  const last = records[records.length - 1]!;
  notes.duration_ms = Math.max(0, Date.parse(notes.ended_at ?? last.t) - Date.parse(started.t));
  if (started.alert !== undefined) notes.alert = started.alert;
  const graphs = prometheusGraphs(records, started.alert?.starts_at, notes.ended_at ?? last.t);
  if (graphs.length > 0) notes.graphs = graphs;
  if (notes.conclusion !== undefined) notes.conclusion.evidence = evidenceFor(timeline, notes.conclusion.step);
  return notes;
}

function finishEntry(entry: StepEntry, record: StepFinishedRecord): void {
  entry.finished_at = record.t;
  entry.status = record.status;
  entry.duration_ms = record.duration_ms;
  const optional = [
    'exit_code',
    'signal',
    'reason',
    'facts',
    'warnings',
    'artifacts',
    'output',
    'decision',
    'answer',
    'checklist',
    'note',
    'by_hand',
  ] as const;
  for (const key of optional) {
    if (record[key] !== undefined) (entry as unknown as Record<string, unknown>)[key] = record[key];
  }
}

/**
 * What led to the conclusion: every branch decision that matched a rule, and every ask
 * answer, on the path up to the concluding step (the last run of each step counts).
 */
function evidenceFor(timeline: TimelineEntry[], concludeStep: string): EvidenceItem[] {
  const steps = timeline.filter((e): e is StepEntry => e.type === 'step');
  const end = steps.findIndex((e) => e.step === concludeStep);
  const before = end === -1 ? steps : steps.slice(0, end);
  const latest = new Map<string, StepEntry>();
  for (const entry of before) latest.set(entry.step, entry);
  const evidence: EvidenceItem[] = [];
  for (const entry of latest.values()) {
    if (entry.decision !== undefined && entry.decision.rule >= 0) {
      evidence.push({ step: entry.step, title: entry.title, explanation: entry.decision.explanation, values: entry.decision.values });
    } else if (entry.answer !== undefined) {
      evidence.push({ step: entry.step, title: entry.title, explanation: `answered "${entry.answer}"`, values: {} });
    }
  }
  return evidence;
}

function processId(inputs: Record<string, unknown>, runbook: Runbook | undefined): string | undefined {
  const pidInput = Object.entries(runbook?.inputs ?? {}).find(([, spec]) => spec.type === 'pid')?.[0] ?? 'pid';
  const value = inputs[pidInput];
  return typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
}

function sum(values: number[]): number {
  return values.reduce((total, n) => total + n, 0);
}
