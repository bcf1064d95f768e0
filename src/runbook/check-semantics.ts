// The validator's semantic pass, on the steps and inputs whose shape is right: ids, gotos, reachability,
// default rules, input defaults, parser names and where templates may appear.
// Templates and expressions themselves are checked in check-references.ts.
import { isMap, type Document } from 'yaml';
import { getParser, parserNames } from '../parsers/registry.js';
import type { Parser } from '../parsers/types.js';
import { parseDuration } from '../util/duration.js';
import { didYouMean } from './did-you-mean.js';
import type { NodePath, RoleString } from './check-shape.js';
import type { Problem } from './problem.js';
import { unreachableSteps } from './step-graph.js';
import type { InputSpec, Runbook } from './types.js';
import { parseTarget } from '../targets/target.js';
import { parseTemplate } from '../template/index.js';
import { parseLabelMatcher } from './label-matcher.js';

export interface SemanticContext {
  runbook: Pick<Runbook, 'inputs' | 'steps' | 'match'>;
  strings: readonly RoleString[];
  document: Document.Parsed;
  file: string;
  position(offset: number): { line: number; col: number };
  /** Some steps were left out for structural problems: their `next` is unknown, so which
   *  steps are reachable cannot be told. */
  partial?: boolean;
}

export function checkSemantics(context: SemanticContext): Problem[] {
  const problems: Problem[] = [];
  const { runbook, document } = context;
  const at = (path: NodePath, message: string, suggestion?: string) => {
    const node = document.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const problem: Problem = { file: context.file, ...context.position(node?.range?.[0] ?? 0), message };
    if (suggestion !== undefined) problem.suggestion = suggestion;
    problems.push(problem);
  };

  // Duplicate step ids: goto and expressions could not tell them apart.
  const firstLine = new Map<string, number>();
  const duplicates = new Set<number>();
  runbook.steps.forEach((step, index) => {
    const earlier = firstLine.get(step.id);
    if (earlier === undefined) {
      const node = document.getIn(['steps', index, 'id'], true) as { range?: [number, number, number] } | undefined;
      firstLine.set(step.id, context.position(node?.range?.[0] ?? 0).line);
    } else {
      duplicates.add(index);
      at(['steps', index, 'id'], `duplicate step id '${step.id}' (first used on line ${earlier})`);
    }
  });

  // A step named like an input: {{ name.fact }} would read the input (inputs shadow steps in
  // the scope), so the step's facts could never be read.
  runbook.steps.forEach((step, index) => {
    if (Object.hasOwn(runbook.inputs, step.id)) {
      at(['steps', index, 'id'], `step id '${step.id}' is also the name of an input, which hides the step's facts from {{ ${step.id}.… }} and expressions; rename one of them`);
    }
  });

  const stepIds = runbook.steps.map((step) => step.id);
  runbook.steps.forEach((step, index) => {
    const defaults = (step.next ?? []).map((rule, ruleIndex) => ({ rule, ruleIndex })).filter(({ rule }) => rule.when === undefined);
    for (const extra of defaults.slice(1)) {
      at(['steps', index, 'next', extra.ruleIndex], `step '${step.id}' has more than one default next rule (an entry without 'when'); only the first can ever be taken`);
    }
    if (step.kind === 'conclude' && step.next !== undefined) {
      at(['steps', index, 'next'], `step '${step.id}' concludes the runbook, so its 'next' is never followed; remove it`);
    }
    if (step.kind === 'snapshot' && step.snapshot.compare_to !== undefined) {
      const target = runbook.steps.findIndex((candidate) => candidate.id === step.snapshot.compare_to);
      if (target !== -1 && (target >= index || runbook.steps[target]?.kind !== 'snapshot')) {
        at(['steps', index, 'snapshot', 'compare_to'], `compare_to '${step.snapshot.compare_to}' must name an earlier snapshot step`);
      }
    }
    if (step.kind === 'query') {
      const secrets: Array<[string[], string | undefined]> = [
        [['bearer_token'], step.query.bearer_token],
        [['basic_auth', 'password'], step.query.basic_auth?.password],
      ];
      for (const [key, value] of secrets) {
        if (value !== undefined && !namesSecretInput(value, runbook.inputs)) {
          at(['steps', index, 'query', ...key], `${key.join('.')} must be one template naming a secret input, like "{{ prometheus_token }}" with inputs: { prometheus_token: { type: secret } }: a credential written here would sit in the file, and one from another input would be shown unmasked`);
        }
      }
    }
    if (step.kind === 'ask' && step.ask.default !== undefined) {
      const values = step.ask.choices.map((choice) => choice.value);
      if (!values.includes(step.ask.default)) {
        at(['steps', index, 'ask', 'default'], `ask default '${step.ask.default}' is not one of the choices (${values.join(', ')})`, didYouMean(step.ask.default, values));
      }
    }
  });

  // One mistake, one line: a step cut off only by a misspelled goto is not reported
  // again as unreachable (the goto problem says it), nor is a duplicate id.
  const brokenGotos = context.strings.some((string) => string.role === 'step-ref' && !stepIds.includes(string.value));
  if (!brokenGotos && context.partial !== true) {
    for (const index of unreachableSteps(runbook.steps).filter((i) => !duplicates.has(i))) {
      at(['steps', index, 'id'], `step '${runbook.steps[index]?.id}' can never run: no goto, choice or fall-through from the first step leads to it`);
    }
  }

  for (const [name, input] of Object.entries(runbook.inputs)) {
    for (const [key, message] of inputProblems(name, input)) at(['inputs', name, key], message);
  }
  const { match } = runbook;
  if (match !== undefined) {
    if (match.alertname === undefined && match.matchers === undefined) at(['match'], "match needs 'alertname', 'matchers' or both: with neither it would answer every alert");
    const declared = Object.keys(runbook.inputs);
    for (const name of Object.keys(match.inputs ?? {})) {
      if (!declared.includes(name)) {
        at(['match', 'inputs', name], `match.inputs fills '${name}', which is not an input of this runbook${declared.length > 0 ? ` (its inputs are ${declared.join(', ')})` : ''}`, didYouMean(name, declared));
      }
    }
  }

  for (const string of context.strings) {
    const key = String(string.path[string.path.length - 1]);
    const where = () => ({ file: context.file, ...context.position(string.node.range?.[0] ?? 0) });
    const hasTemplate = string.value.includes('{{');
    switch (string.role) {
      case 'step-ref':
        if (!stepIds.includes(string.value)) {
          problems.push({ ...where(), message: `${key} '${string.value}' names no step`, ...suggestion(string.value, stepIds) });
        }
        break;
      case 'parser': {
        const parser = getParser(string.value);
        if (parser === undefined) {
          const known = parserNames();
          const list = known.length > 0 ? `; known parsers: ${known.join(', ')}` : '; no parsers are registered';
          problems.push({ ...where(), message: `unknown parser '${string.value}'${list}`, ...suggestion(string.value, known) });
        } else {
          // At parse_options when the step has them, else at `parse:`.
          const optionsPath = [...string.path.slice(0, -1), 'parse_options'];
          const options = document.getIn(optionsPath, true);
          for (const message of missingOptions(parser, options)) {
            if (options === undefined) problems.push({ ...where(), message });
            else at(optionsPath, message);
          }
        }
        break;
      }
      case 'shell':
        if (hasTemplate) {
          problems.push({
            ...where(),
            message:
              "templates are never filled into shell scripts (a value could inject commands); pass the value through env: instead, e.g. env: { PID: \"{{ pid }}\" } and use \"$PID\" in the script",
          });
        }
        break;
      case 'plain':
        if (hasTemplate) {
          problems.push({ ...where(), message: `'${key}' is used as written: templates are filled in only in argv elements, env values and text fields` });
        }
        break;
      case 'duration': {
        const parsed = hasTemplate ? undefined : parseDuration(string.value);
        if (parsed !== undefined && !parsed.ok) problems.push({ ...where(), message: `${key}: ${parsed.error}` });
        break;
      }
      case 'matcher': {
        const parsed = parseLabelMatcher(string.value);
        if (!parsed.ok) problems.push({ ...where(), message: parsed.error });
        break;
      }
      case 'alert-template':
        for (const message of alertTemplateProblems(string.value)) problems.push({ ...where(), message });
        break;
      case 'template':
      case 'promql':
      case 'expression':
        break;
    }
  }
  return problems;
}

/** A `match.inputs` template may read the alert only: `labels.NAME` and `annotations.NAME`. */
function alertTemplateProblems(value: string): string[] {
  const parsed = parseTemplate(value);
  if (!parsed.ok) return [`template does not parse: ${parsed.error.message}`];
  return parsed.parts.flatMap((part) => {
    if (!('path' in part)) return [];
    const segments = part.path.split('.');
    if (segments.length === 2 && (segments[0] === 'labels' || segments[0] === 'annotations')) return [];
    return [`'{{ ${part.path} }}': a match.inputs template reads the alert only, as {{ labels.NAME }} or {{ annotations.NAME }} (like {{ labels.job }})`];
  });
}

/** `{{ name }}` and nothing else, where `name` is a secret input. */
function namesSecretInput(value: string, inputs: Runbook['inputs']): boolean {
  const name = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(value)?.[1];
  return name !== undefined && inputs[name]?.type === 'secret';
}

/** A parser's required parse_options that `options` (the YAML node, if any) lacks, said as
 *  what to add. Options of the wrong shape were reported by the shape check. */
function missingOptions(parser: Parser, options: unknown): string[] {
  if (options !== undefined && !isMap(options)) return [];
  return Object.entries(parser.requiredOptions ?? {})
    .filter(([name]) => options === undefined || !options.has(name))
    .map(([name, { what, example }]) => {
      const fix = options === undefined ? `add parse_options: { ${name}: ${example} }` : `add ${name}: ${example} to its parse_options`;
      return `parser '${parser.name}' needs parse_options.${name} (${what}): ${fix}`;
    });
}

function suggestion(name: string, candidates: readonly string[]): { suggestion?: string } {
  const guess = didYouMean(name, candidates);
  return guess === undefined ? {} : { suggestion: guess };
}

/** [key to point at, message] for each mistake in one input's declaration. */
function inputProblems(name: string, input: InputSpec): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  if (input.type === 'choice' && input.choices === undefined) found.push(['type', `input '${name}' is a choice but lists no 'choices'`]);
  if (input.type !== 'choice' && input.choices !== undefined) found.push(['choices', `input '${name}' has 'choices' but its type is ${input.type}, not choice`]);
  if (input.discover !== undefined && input.type !== 'pid') found.push(['discover', `input '${name}' has 'discover' but its type is ${input.type}, not pid`]);
  if (input.default === undefined) return found;
  if (input.type === 'secret') {
    found.push(['default', `input '${name}' is a secret and cannot have a default (it would sit in the runbook file); ask for it instead`]);
    return found;
  }
  const expected = defaultMismatch(input);
  if (expected !== undefined) found.push(['default', `default of input '${name}' must be ${expected}; got ${JSON.stringify(input.default)}`]);
  return found;
}

/** What the default should have been, when it is not a value of the input's type. */
function defaultMismatch(input: InputSpec): string | undefined {
  const value = input.default;
  switch (input.type) {
    case 'string':
    case 'path':
    case 'secret':
      return typeof value === 'string' ? undefined : 'a string';
    case 'int':
      return Number.isInteger(value) ? undefined : 'a whole number';
    case 'number':
      return typeof value === 'number' ? undefined : 'a number';
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'pid':
      return Number.isInteger(value) && (value as number) > 0 ? undefined : 'a process id (a whole number above 0)';
    case 'url':
      return typeof value === 'string' && isHttpUrl(value) ? undefined : 'an http:// or https:// URL';
    case 'duration':
      return typeof value === 'string' && parseDuration(value).ok ? undefined : 'a duration like 30s';
    case 'choice':
      return typeof value === 'string' && (input.choices ?? []).includes(value) ? undefined : `one of its choices (${(input.choices ?? []).join(', ')})`;
    case 'target':
      // The same check as --target (src/targets/target.ts).
      return typeof value === 'string' && isTarget(value) ? undefined : 'a target: local, ssh://host or kubectl://namespace/pod[/container]';
  }
}

function isTarget(value: string): boolean {
  try {
    parseTarget(value);
    return true;
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
