// The small declarative language the runbook format is written in (definition.ts).
// Two readers interpret it: check-shape.ts (the validator's structural pass, with
// positions and did-you-mean) and json-schema.ts (`runbook schema`), so they cannot drift.

/** What a string means, which decides the semantic checks it gets (check-semantics.ts). */
export type StringRole =
  /** Fixed text: ids, names; `{{ }}` is not substituted here. */
  | 'plain'
  /** Text or an argv element: `{{ name }}` templates are filled in. */
  | 'template'
  /** A PromQL query: `{{ name }}` only inside a double-quoted string literal, escaped (template/promql.ts). */
  | 'promql'
  /** A `match.inputs` value: `{{ labels.NAME }}` / `{{ annotations.NAME }}` of an alert only. */
  | 'alert-template'
  /** An Alertmanager label matcher (`job="api"`, `env!~"dev|test"`: runbook/label-matcher.ts). */
  | 'matcher'
  /** A `when:` / `compute:` expression. */
  | 'expression'
  /** Script text for `sh -c`: never templated, values arrive through `env:`. */
  | 'shell'
  /** A duration (`30s`, `5m`), or a template that yields one. */
  | 'duration'
  /** The id of a step in the same runbook. */
  | 'step-ref'
  /** The name of a registered parser. */
  | 'parser';

export interface NamePattern {
  regex: string;
  /** Says what the pattern allows, for messages: "a lowercase id like go-heap". */
  explain: string;
}

export interface Field {
  shape: Shape;
  required?: boolean;
  description: string;
}

export type Shape =
  | { kind: 'string'; role: StringRole; pattern?: NamePattern }
  /** `template`: a `{{ }}` string that yields the number at run time is allowed too. */
  | { kind: 'integer'; minimum?: number; maximum?: number; template?: true }
  | { kind: 'number'; template?: true }
  | { kind: 'boolean' }
  /** A string, number or boolean (input defaults; their type is checked against the input's). */
  | { kind: 'scalar' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'array'; items: Shape; minItems?: number }
  /** One item, or a list of them (`alertname: GoMemoryHigh` or `[GoMemoryHigh, GoRSSGrowth]`). */
  | { kind: 'oneOrMany'; items: Shape }
  /** Free-form names → values of one shape. */
  | { kind: 'map'; keys: NamePattern; values: Shape; minEntries?: number }
  /** Free-form options passed to code (parser options): any mapping. */
  | { kind: 'options' }
  | {
      kind: 'object';
      /** What it is called in messages: "step", "input". */
      noun: string;
      properties: Record<string, Field>;
      /** Exactly one of these keys must be present (a step's kind; run's argv/shell). */
      exactlyOne?: { keys: readonly string[]; noun: string; /** Advice when several are present. */ whenSeveral: string };
    };

export type ObjectShape = Extract<Shape, { kind: 'object' }>;
