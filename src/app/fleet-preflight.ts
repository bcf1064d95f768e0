// What a fleet run can get wrong the same way on every target, refused once before the
// fan-out (exit 2, no fleet journal): each --var's name and type, a missing input or an
// unanswerable question when no one is there to ask.
import { resolveInputs } from '../engine/inputs.js';
import type { Interactor } from '../engine/events.js';
import { UserError } from '../errors.js';
import type { Runbook } from '../runbook/types.js';

export async function checkFleetBeforeFanOut(runbook: Runbook, vars: Record<string, string>, answers: Record<string, string>, headless: { interactor: Interactor } | undefined): Promise<void> {
  // Headless, a missing input is refused here by the flag interactor; with a person, each
  // target asks (once for the fleet).
  await resolveInputs(runbook, { given: vars, replay: false, ...(headless !== undefined ? { interactor: headless.interactor } : {}) });
  if (headless === undefined) return;
  for (const step of runbook.steps) {
    const given = answers[step.id];
    if (step.kind === 'ask') {
      const choices = step.ask.choices.map((c) => c.value);
      const answer = given ?? step.ask.default;
      if (answer === undefined) throw new UserError(`step ${step.id} asks "${step.ask.question}" and no answer was given; every target would stop there`, { hint: `pass --answer ${step.id}=<${choices.join('|')}>` });
      if (!choices.includes(answer)) throw new UserError(`--answer ${step.id}=${answer} is not a choice of "${step.ask.question}"`, { hint: `choose one of ${choices.join(', ')}` });
    }
    if (step.kind === 'note' && given === undefined && step.note.optional !== true) {
      throw new UserError(`step ${step.id} asks for a note ("${step.note.prompt}") and none was given; every target would stop there`, { hint: `pass --answer ${step.id}="your note"` });
    }
  }
}
