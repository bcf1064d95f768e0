// Choosing the next step: `next` rules in order, the first true `when` wins; a rule with no
// `when` is the default and applies only to a step that passed, so a failure is never
// swallowed by a default written for the success path. Every decision is recorded with
// the expression, the values it read and the result (issue 3).
import { evaluate, explainDecision, parseExpression, scopeFrom } from '../expr/index.js';
import type { DecisionRecord, StepStatus } from '../journal/records.js';
import type { Step } from '../runbook/types.js';

export interface Decided {
  decision?: DecisionRecord;
  /** Evaluating a rule failed on a step that had passed: the step fails with this. */
  error?: string;
}

type Rejected = NonNullable<DecisionRecord['rejected']>;

export function decideNext(step: Step, status: StepStatus, layers: Array<Record<string, unknown>>, stepIds: ReadonlySet<string>): Decided {
  const rules = step.next ?? [];
  if (rules.length === 0) return {};
  const scope = scopeFrom(layers);
  const rejected: Rejected = [];
  const passed = status === 'passed';
  for (const [index, rule] of rules.entries()) {
    if (!stepIds.has(rule.goto)) return { error: `next rule ${index + 1}: goto '${rule.goto}' is not a step of this runbook` };
    if (rule.when === undefined) {
      if (!passed) continue;
      return {
        decision: {
          rule: index,
          values: {},
          goto: rule.goto,
          explanation: `${rejected.length > 0 ? 'no condition held' : 'default'} → ${rule.goto}`,
          ...(rejected.length > 0 ? { rejected } : {}),
        },
      };
    }
    const parsed = parseExpression(rule.when);
    const result = parsed.ok ? evaluate(parsed.ast, scope) : { ok: false as const, error: parsed.error.message };
    let failure = result.ok ? undefined : result.error;
    if (result.ok && typeof result.value !== 'boolean') failure = `'${rule.when}' gave ${JSON.stringify(result.value)}, not true or false`;
    if (failure !== undefined) {
      // On a failed step missing facts are expected (nothing was parsed): the rule just does not match.
      if (passed) return { error: `next rule ${index + 1} (${rule.when}): ${failure}` };
      rejected.push({ rule: index, expression: rule.when, values: {}, error: failure });
      continue;
    }
    const reads = result.ok ? result.reads : {};
    if (result.ok && result.value === true) {
      return {
        decision: {
          rule: index,
          expression: rule.when,
          values: reads,
          result: true,
          goto: rule.goto,
          explanation: `${explainDecision(rule.when, reads, true)} → ${rule.goto}`,
          ...(rejected.length > 0 ? { rejected } : {}),
        },
      };
    }
    rejected.push({ rule: index, expression: rule.when, values: reads });
  }
  return {
    decision: {
      rule: -1,
      values: {},
      goto: null,
      explanation: passed ? 'no rule matched; on to the next step' : `step ${status} and no rule handles it`,
      ...(rejected.length > 0 ? { rejected } : {}),
    },
  };
}

/** An ask choice with `goto` routes directly. */
export function answerDecision(stepId: string, answer: string, goto: string): DecisionRecord {
  return { rule: -1, source: 'answer', values: { [`${stepId}.answer`]: answer }, goto, explanation: `answer '${answer}' → ${goto}` };
}
