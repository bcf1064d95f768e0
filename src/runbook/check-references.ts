// The validator's reference pass: every `{{ template }}` and every expression must parse,
// and every name it uses must resolve before anything runs.
// - Templates (argv elements, env values, text fields; a duration field may hold one):
//   an input, a step EARLIER in the file, or a built-in (session.id, target, …).
// - Expressions (`when:`, `compute:`): an input, an earlier step or the current one, a
//   built-in, a function; in a step's own `next.when` its own facts by bare name (those its
//   `compute:` defines; any name for run, read, fetch, query and snapshot, whose facts come at run time).
// - PromQL (`query.promql`): templates as above, each inside a double-quoted string literal.
import { isScalar, Scalar } from 'yaml';
import { FUNCTION_NAMES, parseExpression, referencedPaths } from '../expr/index.js';
import { BUILTIN_PATHS, parseTemplate, promqlSlotProblem } from '../template/index.js';
import type { RoleString } from './check-shape.js';
import { didYouMean } from './did-you-mean.js';
import type { Problem } from './problem.js';
import type { Runbook } from './types.js';

export interface ReferenceContext {
  runbook: Pick<Runbook, 'inputs' | 'steps'>;
  strings: readonly RoleString[];
  source: string;
  file: string;
  position(offset: number): { line: number; col: number };
}

export function checkReferences(context: ReferenceContext): Problem[] {
  const problems: Problem[] = [];
  const inputs = Object.keys(context.runbook.inputs);
  const stepIds = context.runbook.steps.map((step) => step.id);

  for (const string of context.strings) {
    const report = (offset: number, message: string, suggestion?: string) => {
      const problem: Problem = { file: context.file, ...context.position(sourceOffset(string.node, offset, context.source)), message };
      if (suggestion !== undefined) problem.suggestion = suggestion;
      problems.push(problem);
    };
    const stepIndex = string.path[0] === 'steps' && typeof string.path[1] === 'number' ? string.path[1] : stepIds.length;

    if (string.role === 'template' || string.role === 'promql' || (string.role === 'duration' && string.value.includes('{{'))) {
      const parsed = parseTemplate(string.value);
      if (!parsed.ok) {
        report(parsed.error.offset, `template does not parse: ${parsed.error.message}`);
        continue;
      }
      if (string.role === 'promql') {
        // A value stands for any text: 'x' keeps the lexer where the value would leave it.
        let before = '';
        let cursor = 0;
        for (const part of parsed.parts) {
          if (!('path' in part)) {
            before += part.literal;
            continue;
          }
          // The template's own '{{', not an earlier occurrence of its name (`{job={{ job }}}`).
          const at = new RegExp(`(?<!\\\\)\\{\\{\\s*${part.path.replace(/[.-]/g, '\\$&')}\\s*\\}\\}`, 'g');
          at.lastIndex = cursor;
          const found = at.exec(string.value);
          cursor = found ? found.index + found[0].length : cursor;
          const problem = promqlSlotProblem(before);
          if (problem !== undefined) report(found?.index ?? 0, `'{{ ${part.path} }}': ${problem}`);
          before += 'x';
        }
      }
      const earlier = stepIds.slice(0, stepIndex);
      for (const part of parsed.parts) {
        if (!('path' in part)) continue;
        const root = part.path.split('.')[0] ?? '';
        if (isBuiltin(part.path) || inputs.includes(root) || earlier.includes(root)) continue;
        const offset = string.value.indexOf(part.path);
        if (stepIds.includes(root)) {
          report(offset, `'{{ ${part.path} }}' uses step '${root}', which has not run yet at this point: a template can use inputs and earlier steps only`);
        } else {
          report(offset, `'{{ ${part.path} }}' names no input, earlier step or built-in`, didYouMean(root, [...inputs, ...earlier, ...BUILTIN_PATHS]) ?? didYouMean(part.path, BUILTIN_PATHS));
        }
      }
    } else if (string.role === 'expression') {
      const parsed = parseExpression(string.value);
      if (!parsed.ok) {
        report(parsed.error.offset, `expression does not parse: ${parsed.error.message}`);
        continue;
      }
      const step = context.runbook.steps[stepIndex];
      const ownFacts = step?.kind === 'compute' ? computedSoFar(step.compute, string.path) : [];
      const known = [...inputs, ...stepIds.slice(0, stepIndex + 1), ...ownFacts, ...FUNCTION_NAMES];
      // A parsed or collected step's facts are known only once it ran: in its own `next`
      // any bare name may be one of them, and the engine names a missing one at run time.
      const ownFactsOpen = string.path[2] === 'next' && step !== undefined && hasRuntimeFacts(step);
      for (const path of referencedPaths(parsed.ast)) {
        const root = path.split('.')[0] ?? '';
        if (isBuiltin(path) || known.includes(root) || ownFactsOpen) continue;
        const offset = Math.max(0, string.value.indexOf(root));
        if (stepIds.includes(root)) {
          report(offset, `'${path}' uses step '${root}', which has not run yet at this point: an expression can use inputs, earlier steps and this step`);
        } else {
          report(offset, `'${path}' in this expression names no input, step so far, built-in${ownFacts.length > 0 ? ' or fact computed by this step' : ''}`, didYouMean(root, known));
        }
      }
    }
  }
  return problems;
}

function hasRuntimeFacts(step: Runbook['steps'][number]): boolean {
  return step.kind === 'run' || step.kind === 'read' || step.kind === 'fetch' || step.kind === 'query' || step.kind === 'snapshot';
}

/** The compute names an expression may use: all of them in the step's own `next.when`;
 *  inside `compute:` only those defined above it (they are evaluated in order). */
function computedSoFar(compute: Record<string, string>, path: RoleString['path']): string[] {
  const names = Object.keys(compute);
  if (path[2] === 'next') return names;
  if (path[2] === 'compute' && typeof path[3] === 'string') return names.slice(0, names.indexOf(path[3]));
  return [];
}

function isBuiltin(path: string): boolean {
  return BUILTIN_PATHS.some((builtin) => path === builtin || path.startsWith(`${builtin}.`));
}

/** Where a character of a scalar's value sits in the file. Exact for one-line plain
 *  and quoted scalars without escapes; otherwise the scalar's own start. */
function sourceOffset(node: Scalar, offset: number, source: string): number {
  const start = node.range?.[0] ?? 0;
  const end = node.range?.[1] ?? start;
  const written = source.slice(start, end);
  const value = isScalar(node) ? String(node.value) : '';
  if (node.type === Scalar.PLAIN && written === value) return start + offset;
  if ((node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) && written.slice(1, -1) === value) return start + 1 + offset;
  return start;
}
