// `conclude`: the finding; the session records session.concluded and ends.
import type { Step } from '../../runbook/types.js';
import { renderText } from '../../template/index.js';
import { failed, type StepContext, type StepOutcome } from './types.js';

export async function concludeStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'conclude' }>;
  ctx.started();
  const spec = step.conclude;
  const text = renderText(spec.text, ctx.scope);
  if (!text.ok) return failed(`conclusion text: ${text.error}`);
  let remediation: string | undefined;
  if (spec.remediation !== undefined) {
    const rendered = renderText(spec.remediation, ctx.scope);
    if (!rendered.ok) return failed(`remediation: ${rendered.error}`);
    remediation = rendered.text;
  }
  return {
    status: 'passed',
    meta: { finding: spec.finding, severity: spec.severity },
    conclusion: { ...spec, text: text.text, ...(remediation !== undefined ? { remediation } : {}) },
  };
}
