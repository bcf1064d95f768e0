// `ask`: a question with choices; a choice's `goto` routes without evaluating `next`.
import type { Step } from '../../runbook/types.js';
import { failed, type StepContext, type StepOutcome } from './types.js';

export async function askStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'ask' }>;
  ctx.started();
  const answer = await ctx.interactor.ask(step, step.ask);
  const choice = step.ask.choices.find((c) => c.value === answer);
  if (!choice) {
    return failed(`'${answer}' is not a choice of ${step.id} (choices: ${step.ask.choices.map((c) => c.value).join(', ')})`);
  }
  return {
    status: 'passed',
    answer,
    meta: { answer },
    ...(choice.goto !== undefined ? { answerGoto: choice.goto } : {}),
  };
}
