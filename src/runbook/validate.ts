// Validates runbook source text and, when it is valid, builds the typed Runbook.
// Order: safe YAML → shape (definition.ts) → semantics. Semantic checks assume the
// shape is right, so a step or input the structural pass found wrong is left out of them
// (its id and name still count as known), and the rest are checked in the same pass: a
// file with three mistakes shows three problems, not one per round of fixes.
import { isMap, isNode, isSeq, type Document } from 'yaml';
import { checkShape, type RoleString } from './check-shape.js';
import { checkReferences } from './check-references.js';
import { checkSemantics } from './check-semantics.js';
import { runbookDefinition } from './definition.js';
import type { Problem } from './problem.js';
import { parseSafeYaml } from './safe-yaml.js';
import { STEP_KINDS, type Runbook, type Step } from './types.js';

export interface LoadResult {
  runbook?: Runbook;
  problems: Problem[];
}

export interface SourceIdentity {
  /** How problems name the file (the path as the user gave it). */
  displayName: string;
  /** Absolute path, recorded in the Runbook. */
  absolutePath: string;
  sha256: string;
}

export function validateRunbookSource(text: string, source: SourceIdentity): LoadResult {
  const file = source.displayName;
  const yaml = parseSafeYaml(text, file);
  if (yaml.document === undefined || yaml.problems.length > 0) return { problems: yaml.problems };
  const document = yaml.document;
  const place = (node: unknown) => yaml.position(isNode(node) ? (node.range?.[0] ?? 0) : 0);
  const shape = checkShape(document.contents, runbookDefinition, file, place);
  const broken = shape.problems.length > 0 ? brokenParts(document, shape.problems, yaml.position) : { steps: new Set<number>(), inputs: new Set<string>() };
  // A runbook whose steps or inputs are not even a list or a mapping has nothing to check further.
  if (broken === undefined) return { problems: byPosition(shape.problems) };

  const plain = document.toJS({ maxAliasCount: 0 }) as Omit<Runbook, 'file' | 'sha256' | 'steps'> & { steps?: Array<Record<string, unknown>> };
  const steps = (plain.steps ?? []).map((raw, index): Step => {
    const node = document.getIn(['steps', index], true);
    const loc = { file, ...place(node) };
    // Only a broken step's id takes part: gotos and templates naming it are not wrong.
    if (broken.steps.has(index) || raw === null || typeof raw !== 'object') return { id: typeof raw?.['id'] === 'string' ? raw['id'] : `\u0000step ${index}`, loc } as unknown as Step;
    const kind = STEP_KINDS.find((candidate) => candidate in raw);
    return { ...raw, kind, loc } as Step;
  });
  const inputs = Object.fromEntries(Object.entries(plain.inputs ?? {}).map(([name, spec]) => [name, broken.inputs.has(name) ? {} : spec])) as Runbook['inputs'];
  const runbook: Runbook = { ...plain, inputs, steps, file: source.absolutePath, sha256: source.sha256 };
  const strings = shape.strings.filter((string) => !needsItsStep(string, broken));
  const partial = broken.steps.size > 0;
  const problems = [
    ...shape.problems,
    ...checkSemantics({ runbook, strings, document, file, position: yaml.position, partial }),
    ...checkReferences({ runbook, strings, source: text, file, position: yaml.position }),
  ];
  return problems.length > 0 ? { problems: byPosition(problems) } : { runbook, problems };
}

interface BrokenParts {
  steps: Set<number>;
  inputs: Set<string>;
}

/** The steps and inputs a structural problem lies in; undefined when `steps` or `inputs`
 *  itself has the wrong shape. */
function brokenParts(document: Document.Parsed, problems: readonly Problem[], position: (offset: number) => { line: number; col: number }): BrokenParts | undefined {
  const stepsNode = document.getIn(['steps'], true);
  const inputsNode = document.getIn(['inputs'], true);
  if (!isSeq(stepsNode) || (inputsNode !== undefined && !isMap(inputsNode))) return undefined;
  const contains = (node: unknown, problem: Problem): boolean => {
    if (!isNode(node) || node.range === undefined || node.range === null) return false;
    const start = position(node.range[0]);
    const end = position(node.range[1]);
    const after = (a: { line: number; col: number }, b: { line: number; col: number }) => a.line > b.line || (a.line === b.line && a.col >= b.col);
    return after(problem, start) && !after(problem, end);
  };
  const broken: BrokenParts = { steps: new Set(), inputs: new Set() };
  stepsNode.items.forEach((item, index) => {
    if (problems.some((problem) => contains(item, problem))) broken.steps.add(index);
  });
  for (const pair of isMap(inputsNode) ? inputsNode.items : []) {
    const name = isNode(pair.key) && 'value' in pair.key ? String(pair.key.value) : undefined;
    if (name !== undefined && problems.some((problem) => contains(pair.key, problem) || contains(pair.value, problem))) broken.inputs.add(name);
  }
  return broken;
}

/** An expression's known names depend on its step's kind (a compute step's own names, a
 *  parsed step's facts in its `next`): in a step of unknown shape it cannot be checked.
 *  Every other string (templates, gotos, parsers, durations) is checked on its own. */
function needsItsStep(string: RoleString, broken: BrokenParts): boolean {
  const path = string.path;
  return string.role === 'expression' && path[0] === 'steps' && typeof path[1] === 'number' && broken.steps.has(path[1]);
}

function byPosition(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}
