// The typed shape of a runbook (format v1) after loading and validation.
// YAML field names are kept as-is (snake_case) so the docs, the schema and the code
// use one vocabulary. The validator (runbook/validate.ts) is the only producer.

export type InputType =
  | 'string'
  | 'int'
  | 'number'
  | 'bool'
  | 'pid'
  | 'url'
  | 'duration'
  | 'path'
  | 'choice'
  | 'secret'
  | 'target';

export const INPUT_TYPES: readonly InputType[] = [
  'string',
  'int',
  'number',
  'bool',
  'pid',
  'url',
  'duration',
  'path',
  'choice',
  'secret',
  'target',
];

export interface InputSpec {
  type: InputType;
  prompt?: string;
  description?: string;
  default?: string | number | boolean;
  /** For `choice`. */
  choices?: string[];
  /** For `pid`: `go` offers the Go processes found on the host. */
  discover?: 'go';
  /** Absent inputs without default must be asked for; optional ones may stay empty. */
  optional?: boolean;
  /** Only meaningful against a live process; not asked for when replaying a bundle. */
  live_only?: boolean;
}

export type StepKind =
  | 'run'
  | 'read'
  | 'fetch'
  | 'query'
  | 'wait'
  | 'compute'
  | 'ask'
  | 'checklist'
  | 'note'
  | 'snapshot'
  | 'conclude';

export const STEP_KINDS: readonly StepKind[] = [
  'run',
  'read',
  'fetch',
  'query',
  'wait',
  'compute',
  'ask',
  'checklist',
  'note',
  'snapshot',
  'conclude',
];

export interface NextRule {
  /** Expression (expr/ language); absent on the single default rule. */
  when?: string;
  goto: string;
}

export interface RunSpec {
  /** argv form: each element may hold `{{ var }}` templates, filled as whole elements. */
  argv?: string[];
  /** shell form: fixed script text; variables reach it only through `env`. */
  shell?: string;
  env?: Record<string, string>;
  cwd?: string;
  timeout?: string;
  parse?: string;
  /** Options passed to the parser (e.g. regex pattern, pprof sample type). */
  parse_options?: Record<string, unknown>;
  mutates?: boolean;
  /** Human description of what a mutating step changes. */
  changes?: string;
  /** Non-zero exit codes that still count as success. */
  ok_exit?: number[];
  /** Needs a live process (skipped with a reason when replaying a bundle). */
  live?: boolean;
  /** Runs on this machine even when the session has a remote target. */
  local?: boolean;
}

export interface ReadSpec {
  path: string;
  parse?: string;
  parse_options?: Record<string, unknown>;
  max_bytes?: number;
  live?: boolean;
}

export interface FetchSpec {
  url: string;
  headers?: Record<string, string>;
  timeout?: string;
  max_bytes?: number;
  parse?: string;
  parse_options?: Record<string, unknown>;
  live?: boolean;
}

/** A Prometheus HTTP API query (docs/runbook-format.md "Prometheus queries"). */
export interface QuerySpec {
  /** PromQL; templates only inside double-quoted string literals, escaped. */
  promql: string;
  /** A range query over the last `range` (a duration); absent: an instant query. */
  range?: string;
  /** Resolution of a range query (default: the range / 240, at least 1s). */
  step?: string;
  /** Base URL of Prometheus; default the input `prometheus`, then the setting `prometheus`. */
  prometheus?: string;
  timeout?: string;
  max_bytes?: number;
  /** A template naming a secret input. */
  bearer_token?: string;
  basic_auth?: { username: string; password: string };
  /** Changes under this count as flat in the trend (the series' units). */
  noise_floor?: number | string;
}

export interface AskChoice {
  value: string;
  label?: string;
  goto?: string;
}

export interface AskSpec {
  question: string;
  choices: AskChoice[];
  default?: string;
}

export interface ChecklistSpec {
  items: string[];
}

export interface NoteSpec {
  prompt: string;
  optional?: boolean;
}

export type Collector =
  | 'status'
  | 'smaps_rollup'
  | 'maps'
  | 'heap'
  | 'goroutines'
  | 'goroutines_debug2'
  | 'memstats'
  | 'vars'
  | 'gctrace'
  | 'malloc_info'
  | 'c_allocs'
  | 'smaps'
  | 'heap_gc'
  | 'environ'
  | 'host_cpu'
  | 'cpu_profile'
  | 'exec_trace'
  | 'trace_stw'
  | 'trace_syscalls';

export const COLLECTORS: readonly Collector[] = [
  'status',
  'smaps_rollup',
  'maps',
  'heap',
  'goroutines',
  'goroutines_debug2',
  'memstats',
  'vars',
  'gctrace',
  'malloc_info',
  'c_allocs',
  'smaps',
  'heap_gc',
  'environ',
  'host_cpu',
  'cpu_profile',
  'exec_trace',
  'trace_stw',
  'trace_syscalls',
];

/** A series longer than this is a mistake (an hour of snapshots at 30 s is 120). */
export const maxSeriesCount = 1000;

export interface SnapshotSpec {
  collect: Collector[];
  /** Id of an earlier snapshot step: facts then include `<collector>_diff` deltas. */
  compare_to?: string;
  series?: SeriesSpec;
}

/** A series of snapshots (docs/runbook-format.md "Snapshot series"). Numbers may be templates. */
export interface SeriesSpec {
  /** Snapshots in the series, the compare_to step's counted. */
  count: number | string;
  /** The time between this step's snapshots (a duration or a template yielding one). */
  every: string;
  /** Growth per leg under which the leg counts as flat (MiB). */
  noise_floor_mb: number | string;
}

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export interface ConcludeSpec {
  finding: string;
  severity: Severity;
  text: string;
  remediation?: string;
  /** Key numbers for the fleet table (docs/runbook-format.md): label → template of a number. */
  numbers?: Record<string, string>;
}

interface StepBase {
  id: string;
  title?: string;
  why?: string;
  next?: NextRule[];
  /** Source position of the step in its file, for messages. */
  loc?: SourceLocation;
}

export type Step =
  | (StepBase & { kind: 'run'; run: RunSpec })
  | (StepBase & { kind: 'read'; read: ReadSpec })
  | (StepBase & { kind: 'fetch'; fetch: FetchSpec })
  | (StepBase & { kind: 'query'; query: QuerySpec })
  | (StepBase & { kind: 'wait'; wait: string })
  | (StepBase & { kind: 'compute'; compute: Record<string, string> })
  | (StepBase & { kind: 'ask'; ask: AskSpec })
  | (StepBase & { kind: 'checklist'; checklist: ChecklistSpec })
  | (StepBase & { kind: 'note'; note: NoteSpec })
  | (StepBase & { kind: 'snapshot'; snapshot: SnapshotSpec })
  | (StepBase & { kind: 'conclude'; conclude: ConcludeSpec });

export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** Which alerts a runbook answers (docs/alerts.md); matchers in Alertmanager's syntax. */
export interface MatchSpec {
  alertname?: string | string[];
  matchers?: string[];
  /** Input name → a template over the alert's `labels.*` and `annotations.*`. */
  inputs?: Record<string, string>;
}

export interface Runbook {
  id: string;
  title: string;
  summary: string;
  /** Format version; v1 today. */
  version?: 1;
  inputs: Record<string, InputSpec>;
  match?: MatchSpec;
  steps: Step[];
  /** Absolute path of the file it was loaded from. */
  file: string;
  /** sha256 of the file bytes, recorded in the journal so a resume can tell edits. */
  sha256: string;
}
