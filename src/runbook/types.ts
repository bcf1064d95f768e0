// The typed shape of a runbook (format v1) after loading and validation, read off the
// format's one definition (definition.ts) by shape-value.ts: a field is in these types
// exactly when it is in the definition, with the same name (snake_case, as in the YAML),
// optionality and value type. Only what the validator (runbook/validate.ts) adds is
// written here by hand: a step's `kind` and `loc`, and a runbook's `file` and `sha256`.
import type { COLLECTORS, INPUT_TYPES, SEVERITIES, STEP_KINDS, inputDefinition, matchDefinition, runbookDefinition, stepDefinition } from './definition.js';
import type { Flat, ShapeValue } from './shape-value.js';

export { COLLECTORS, INPUT_TYPES, SEVERITIES, STEP_KINDS, maxSeriesCount } from './definition.js';

export type InputType = (typeof INPUT_TYPES)[number];
export type StepKind = (typeof STEP_KINDS)[number];
export type Collector = (typeof COLLECTORS)[number];
export type Severity = (typeof SEVERITIES)[number];

export type InputSpec = ShapeValue<typeof inputDefinition>;
/** Which alerts a runbook answers (docs/alerts.md); matchers in Alertmanager's syntax. */
export type MatchSpec = ShapeValue<typeof matchDefinition>;

/** A step as written: every kind's field optional (the validator checks exactly one is there). */
type StepFields = ShapeValue<typeof stepDefinition>;
type KindFields = Required<Pick<StepFields, StepKind>>;

export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

type StepBase = Omit<StepFields, StepKind> & {
  /** Source position of the step in its file, for messages. */
  loc?: SourceLocation;
};

/** One variant per kind: `kind` names the one kind field the step has. */
export type Step = { [K in StepKind]: Flat<StepBase & { kind: K } & Pick<KindFields, K>> }[StepKind];

export type NextRule = NonNullable<StepFields['next']>[number];
export type RunSpec = KindFields['run'];
export type ReadSpec = KindFields['read'];
export type FetchSpec = KindFields['fetch'];
/** A Prometheus HTTP API query (docs/runbook-format.md "Prometheus queries"). */
export type QuerySpec = KindFields['query'];
export type AskSpec = KindFields['ask'];
export type AskChoice = AskSpec['choices'][number];
export type ChecklistSpec = KindFields['checklist'];
export type NoteSpec = KindFields['note'];
export type SnapshotSpec = KindFields['snapshot'];
/** A series of snapshots (docs/runbook-format.md "Snapshot series"). Numbers may be templates. */
export type SeriesSpec = NonNullable<SnapshotSpec['series']>;
export type ConcludeSpec = KindFields['conclude'];

export type Runbook = Flat<
  Omit<ShapeValue<typeof runbookDefinition>, 'inputs' | 'steps'> & {
    /** Always present after validation (empty when the file has none). */
    inputs: Record<string, InputSpec>;
    steps: Step[];
    /** Absolute path of the file it was loaded from. */
    file: string;
    /** sha256 of the file bytes, recorded in the journal so a resume can tell edits. */
    sha256: string;
  }
>;
