// `conclude`: the finding; the session records session.concluded and ends.
import type { Step } from '../../runbook/types.js';
import { renderProse, renderText } from '../../template/index.js';
import { parseProseNumber } from '../../util/prose-number.js';
import { failed, type StepContext, type StepOutcome } from './types.js';

export async function concludeStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'conclude' }>;
  ctx.started();
  const spec = step.conclude;
  const text = renderProse(spec.text, ctx.scope);
  if (!text.ok) return failed(`conclusion text: ${text.error}`);
  let remediation: string | undefined;
  if (spec.remediation !== undefined) {
    const rendered = renderProse(spec.remediation, ctx.scope);
    if (!rendered.ok) return failed(`remediation: ${rendered.error}`);
    remediation = rendered.text;
  }
  const { numbers: numberTemplates, ...rest } = spec;
  const numbers = renderNumbers(numberTemplates ?? {}, ctx);
  return {
    status: 'passed',
    meta: { finding: spec.finding, severity: spec.severity },
    conclusion: { ...rest, text: text.text, ...(remediation !== undefined ? { remediation } : {}), ...(Object.keys(numbers).length > 0 ? { numbers } : {}) },
  };
}

/** The key numbers that render as finite numbers; a fact this path did not gather (or one
 *  that is text) is left out, never recorded as a placeholder. */
function renderNumbers(templates: Record<string, string>, ctx: StepContext): Record<string, number> {
  const numbers: Record<string, number> = {};
  for (const [label, template] of Object.entries(templates)) {
    const rendered = renderText(template, ctx.scope);
    if (!rendered.ok) continue;
    // A fact built with text() writes a negative number with a minus sign (U+2212).
    const value = parseProseNumber(rendered.text);
    if (Number.isFinite(value)) numbers[label] = value;
  }
  return numbers;
}
