// THE definition of runbook format v1. The validator's structural checks
// (check-shape.ts), the JSON Schema (`runbook schema`, schema/runbook.schema.json) and
// the TypeScript types (types.ts, through shape-value.ts) all come from this one value.
// Every shape is kept literal (`as const`, `field`'s const parameter) so its type can be read.
import type { NamePattern, ObjectShape, Shape } from './shape.js';

export const INPUT_TYPES = ['string', 'int', 'number', 'bool', 'pid', 'url', 'duration', 'path', 'choice', 'secret', 'target'] as const;

export const STEP_KINDS = ['run', 'read', 'fetch', 'query', 'wait', 'compute', 'ask', 'checklist', 'note', 'snapshot', 'conclude'] as const;

export const COLLECTORS = [
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
] as const;

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

/** A series longer than this is a mistake (an hour of snapshots at 30 s is 120). */
export const maxSeriesCount = 1000;

/** Step ids: `goto` targets and expression roots (`before.status.vm_rss_kb`). */
const STEP_ID: NamePattern = {
  regex: '^[a-z][a-z0-9_-]*$',
  explain: 'a lowercase id of letters, digits, - and _ (like go-heap)',
};
/** Input and fact names are used bare inside expressions, so they are identifiers. */
export const IDENTIFIER: NamePattern = {
  regex: '^[A-Za-z_][A-Za-z0-9_]*$',
  explain: 'an identifier of letters, digits and _ (like rss_growth_mb)',
};
const HEADER_NAME: NamePattern = { regex: '^[A-Za-z0-9!#$%&\'*+.^_`|~-]+$', explain: 'an HTTP header name (like Authorization)' };
const ENV_NAME: NamePattern = { regex: '^[A-Za-z_][A-Za-z0-9_]*$', explain: 'an environment variable name (like PPROF_URL)' };

const text = { kind: 'string', role: 'template' } as const satisfies Shape;
const plain = { kind: 'string', role: 'plain' } as const satisfies Shape;
const duration = { kind: 'string', role: 'duration' } as const satisfies Shape;
const stepRef = { kind: 'string', role: 'step-ref' } as const satisfies Shape;
const flag = { kind: 'boolean' } as const satisfies Shape;
const byteLimit = { kind: 'integer', minimum: 1 } as const satisfies Shape;

/** A field of an object shape; `required` fields become required properties of the type. */
function field<const S extends Shape>(shape: S, description: string): { shape: S; description: string };
function field<const S extends Shape>(shape: S, description: string, required: true): { shape: S; description: string; required: true };
function field(shape: Shape, description: string, required?: true) {
  return required ? { shape, description, required } : { shape, description };
}

const parseFields = {
  parse: field({ kind: 'string', role: 'parser' }, 'Name of the parser that turns the output into facts (runbook parse --help lists them).'),
  parse_options: field({ kind: 'options' }, 'Options passed to the parser. A value that is exactly one template ("{{ step.fact }}") is that fact, list or object included.'),
  live: field(flag, 'Needs a live process: skipped, with a reason, when replaying a bundle.'),
} as const;

const run = {
  kind: 'object',
  noun: 'run',
  exactlyOne: { keys: ['argv', 'shell'], noun: 'command form', whenSeveral: 'keep one' },
  properties: {
    argv: field({ kind: 'array', items: text, minItems: 1 }, 'The command as a list; each element may hold {{ templates }}, filled in as a whole element.'),
    shell: field({ kind: 'string', role: 'shell' }, 'A fixed script for sh -c. Never templated: pass values through env and use "$NAME".'),
    env: field({ kind: 'map', keys: ENV_NAME, values: text }, 'Environment variables for the command; values may hold {{ templates }}.'),
    cwd: field(text, 'Working directory.'),
    timeout: field(duration, 'Kill the command (its whole process group) after this long, e.g. 30s.'),
    ...parseFields,
    mutates: field(flag, 'The command changes something: the engineer is always asked first.'),
    changes: field(plain, 'What a mutating command changes, shown when asking.'),
    ok_exit: field({ kind: 'array', items: { kind: 'integer', minimum: 0, maximum: 255 } }, 'Non-zero exit codes that still count as success.'),
    local: field(flag, 'Runs on this machine even when the session has a target (source code, local tools).'),
  },
} as const satisfies ObjectShape;

export const stepDefinition = {
  kind: 'object',
  noun: 'step',
  exactlyOne: { keys: STEP_KINDS, noun: 'step kind', whenSeveral: 'keep one and split the rest into their own steps' },
  properties: {
    id: field({ kind: 'string', role: 'plain', pattern: STEP_ID }, 'Unique id: the target of goto and the root of this step’s facts in expressions.', true),
    title: field(text, 'One line saying what the step checks.'),
    why: field(text, 'Why this step matters, shown to the engineer.'),
    next: field(
      {
        kind: 'array',
        minItems: 1,
        items: {
          kind: 'object',
          noun: 'next rule',
          properties: {
            when: field({ kind: 'string', role: 'expression' }, 'Condition; the first rule whose condition holds is taken. Omit on the single default rule.'),
            goto: field(stepRef, 'Id of the step to go to.', true),
          },
        },
      },
      'Branches, tried in order. Without a default rule (no when), the following step runs when none holds.',
    ),
    run: field(run, 'Run a command.'),
    read: field(
      {
        kind: 'object',
        noun: 'read',
        properties: {
          path: field(text, 'File to read.', true),
          max_bytes: field(byteLimit, 'Read at most this many bytes.'),
          ...parseFields,
        },
      },
      'Read a file.',
    ),
    fetch: field(
      {
        kind: 'object',
        noun: 'fetch',
        properties: {
          url: field(text, 'URL to GET.', true),
          timeout: field(duration, 'Give up after this long.'),
          max_bytes: field(byteLimit, 'Keep at most this many bytes.'),
          headers: field({ kind: 'map', keys: HEADER_NAME, values: text }, 'Request headers; values may hold {{ templates }} (a secret input in one is masked everywhere).'),
          ...parseFields,
        },
      },
      'HTTP GET into an artifact.',
    ),
    query: field(
      {
        kind: 'object',
        noun: 'query',
        properties: {
          promql: field({ kind: 'string', role: 'promql' }, 'The PromQL query. {{ templates }} only inside double-quoted string literals ({job="{{ job }}"}), escaped so no value changes the query.', true),
          range: field(duration, 'A range query over the last this long (e.g. 6h); without it an instant query.'),
          step: field(duration, 'Resolution of a range query (default: the range / 240, at least 1s).'),
          prometheus: field(text, 'Base URL of Prometheus (default: the input prometheus, then the setting prometheus).'),
          timeout: field(duration, 'Give up after this long.'),
          max_bytes: field(byteLimit, 'Refuse an answer larger than this (default and most: 16 MiB, what the prometheus parser reads whole).'),
          bearer_token: field(text, 'A template naming a secret input: sent as Authorization: Bearer, masked everywhere.'),
          basic_auth: field(
            {
              kind: 'object',
              noun: 'basic_auth',
              properties: {
                username: field(text, 'User name.', true),
                password: field(text, 'A template naming a secret input.', true),
              },
            },
            'HTTP basic authentication.',
          ),
          noise_floor: field({ kind: 'number', template: true }, 'Changes under this count as flat in the trend, in the series\' units (default: 2 % of its median level).'),
        },
      },
      'Query Prometheus (instant or range): per series labels, last, min, max; for ranges slope per hour and trend.',
    ),
    wait: field(duration, 'Count down this long (e.g. 30s, or "{{ interval }}").'),
    compute: field({ kind: 'map', keys: IDENTIFIER, values: { kind: 'string', role: 'expression' }, minEntries: 1 }, 'Named expressions; each becomes a fact of this step.'),
    ask: field(
      {
        kind: 'object',
        noun: 'ask',
        properties: {
          question: field(text, 'The question.', true),
          choices: field(
            {
              kind: 'array',
              minItems: 1,
              items: {
                kind: 'object',
                noun: 'choice',
                properties: {
                  value: field(plain, 'The answer recorded (and given with --answer STEP=VALUE).', true),
                  label: field(text, 'What the engineer sees.'),
                  goto: field(stepRef, 'Step to go to when this is chosen.'),
                },
              },
            },
            'The answers offered.',
            true,
          ),
          default: field(plain, 'Value of the choice used when running non-interactively.'),
        },
      },
      'Ask the engineer a question whose answer can route.',
    ),
    checklist: field(
      { kind: 'object', noun: 'checklist', properties: { items: field({ kind: 'array', items: text, minItems: 1 }, 'Things to tick.', true) } },
      'Items for the engineer to tick.',
    ),
    note: field(
      {
        kind: 'object',
        noun: 'note',
        properties: {
          prompt: field(text, 'What to write down.', true),
          optional: field(flag, 'May be left empty.'),
        },
      },
      'Ask the engineer for a note for the incident record.',
    ),
    snapshot: field(
      {
        kind: 'object',
        noun: 'snapshot',
        properties: {
          collect: field({ kind: 'array', items: { kind: 'enum', values: COLLECTORS }, minItems: 1 }, 'Evidence to collect.', true),
          compare_to: field(stepRef, 'An earlier snapshot step: facts then include <collector>_diff deltas.'),
          series: field(
            {
              kind: 'object',
              noun: 'series',
              properties: {
                count: field(
                  { kind: 'integer', minimum: 2, maximum: maxSeriesCount, template: true },
                  'Snapshots in the series, the compare_to step\'s counted: this step takes count − 1 of them (count without compare_to).',
                  true,
                ),
                every: field(duration, 'The time between this step\'s snapshots, e.g. "{{ interval }}".', true),
                noise_floor_mb: field({ kind: 'number', template: true }, 'Growth of one leg under which it counts as flat (MiB), for the trend.', true),
              },
            },
            'Take a series of snapshots and give series.<collector> facts: per-leg growth, MiB/min and the trend.',
          ),
        },
      },
      'Collect evidence from the process (live) or a bundle.',
    ),
    conclude: field(
      {
        kind: 'object',
        noun: 'conclude',
        properties: {
          finding: field({ kind: 'string', role: 'plain', pattern: STEP_ID }, 'Stable id of the finding (for notes and automation).', true),
          severity: field({ kind: 'enum', values: SEVERITIES }, 'How bad it is.', true),
          text: field(text, 'The conclusion, for the incident notes.', true),
          remediation: field(text, 'What to do about it.'),
          numbers: field(
            { kind: 'map', keys: IDENTIFIER, values: text },
            'Key numbers of the finding, label → a template rendering one number (e.g. "{{ attribute.rss_growth_mb }}"): the fleet table and outliers read them; one that does not render a number is left out.',
          ),
        },
      },
      'End the runbook with a finding.',
    ),
  },
} as const satisfies ObjectShape;

export const inputDefinition = {
  kind: 'object',
  noun: 'input',
  properties: {
    type: field({ kind: 'enum', values: INPUT_TYPES }, 'What kind of value it is; decides how it is asked for and checked.', true),
    prompt: field(plain, 'The question asked for it.'),
    description: field(plain, 'Longer help.'),
    default: field({ kind: 'scalar' }, 'Value used when none is given; must be of the input’s type.'),
    choices: field({ kind: 'array', items: plain, minItems: 1 }, 'For type choice: the allowed values.'),
    discover: field({ kind: 'enum', values: ['go'] }, 'For type pid: offer the Go processes found on the host (or the session target).'),
    optional: field(flag, 'May stay empty.'),
    live_only: field(flag, 'Only asked for against a live process, not when replaying a bundle.'),
  },
} as const satisfies ObjectShape;

/** Which alerts the runbook answers and how their labels fill its inputs (docs/alerts.md). */
export const matchDefinition = {
  kind: 'object',
  noun: 'match',
  properties: {
    alertname: field({ kind: 'oneOrMany', items: plain }, 'The alert name, or a list of names, the runbook answers.'),
    matchers: field(
      { kind: 'array', items: { kind: 'string', role: 'matcher' }, minItems: 1 },
      'Label matchers in Alertmanager\'s syntax, all of which must hold: job="api", severity!="info", instance=~"10\\..*", env!~"dev|test".',
    ),
    inputs: field(
      { kind: 'map', keys: IDENTIFIER, values: { kind: 'string', role: 'alert-template' } },
      'Input name → its value from the alert, a template over {{ labels.NAME }} and {{ annotations.NAME }} (pid: "name:{{ labels.job }}"). --var wins.',
    ),
  },
} as const satisfies ObjectShape;

export const runbookDefinition = {
  kind: 'object',
  noun: 'runbook',
  properties: {
    id: field({ kind: 'string', role: 'plain', pattern: STEP_ID }, 'The runbook’s id (runbook run ID).', true),
    title: field(plain, 'One line.', true),
    summary: field(plain, 'The question this runbook answers.', true),
    version: field({ kind: 'integer', minimum: 1, maximum: 1 }, 'Format version (1).'),
    inputs: field({ kind: 'map', keys: IDENTIFIER, values: inputDefinition }, 'Values asked for before the first step, by name.'),
    match: field(matchDefinition, 'The Alertmanager alerts this runbook answers (runbook run --alert, runbook alerts).'),
    steps: field({ kind: 'array', items: stepDefinition, minItems: 1 }, 'The steps, run in order unless a next rule or a choice routes elsewhere.', true),
  },
} as const satisfies ObjectShape;
