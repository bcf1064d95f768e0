// `checklist`: items the engineer ticks; facts say how many were.
import type { Step } from '../../runbook/types.js';
import { failed, type StepContext, type StepOutcome } from './types.js';

export async function checklistStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'checklist' }>;
  ctx.started();
  const answer = await ctx.interactor.checklist(step, step.checklist);
  const ticks = Array.isArray(answer) ? answer : step.checklist.items.map(() => false);
  if (ticks.length !== step.checklist.items.length) {
    return failed(`checklist answer has ${ticks.length} ticks for ${step.checklist.items.length} items`);
  }
  const checklist = step.checklist.items.map((item, i) => ({ item, checked: ticks[i] === true }));
  const checked = checklist.filter((c) => c.checked).length;
  return {
    status: 'passed',
    checklist,
    meta: { checked, all_checked: checked === checklist.length },
    ...(Array.isArray(answer) ? {} : { reason: answer.notReviewed }),
  };
}
