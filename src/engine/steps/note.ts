// `note`: free text from the engineer, kept in the journal (redacted) and the notes.
import type { Step } from '../../runbook/types.js';
import { failed, type StepContext, type StepOutcome } from './types.js';

export async function noteStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'note' }>;
  ctx.started();
  const note = await ctx.interactor.note(step, step.note);
  if (note.trim() === '' && step.note.optional !== true) return failed('the note is required and was left empty');
  return { status: 'passed', note, meta: { note } };
}
