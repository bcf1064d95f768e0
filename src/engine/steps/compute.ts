// `compute`: named expressions in order; each may use the ones before it by bare name.
import { evaluate, parseExpression, scopeFrom } from '../../expr/index.js';
import type { FactValue, Facts } from '../../parsers/types.js';
import type { Step } from '../../runbook/types.js';
import { failed, type StepContext, type StepOutcome } from './types.js';

export async function computeStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'compute' }>;
  ctx.started();
  const facts: Facts = {};
  // Earlier names are visible bare (`n * 2`) and through the step's id (`sum.n * 2`).
  const scope = scopeFrom([{ [step.id]: facts }, facts, ...ctx.layers]);
  for (const [name, source] of Object.entries(step.compute)) {
    const parsed = parseExpression(source);
    if (!parsed.ok) return failed(`compute ${name}: ${parsed.error.message} in '${source}'`, { facts });
    const result = evaluate(parsed.ast, scope);
    if (!result.ok) return failed(`compute ${name}: ${result.error}`, { facts });
    facts[name] = toFact(result.value);
  }
  return { status: 'passed', facts };
}

/** Expression values are JSON-like already; non-finite numbers have no JSON form. */
function toFact(value: unknown): FactValue {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (value === undefined) return null;
  return value as FactValue;
}
