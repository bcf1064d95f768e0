// Manual steps answered once for the fleet: every child asks this Interactor, which asks
// the person (the TUI, or --answer flags headless) once per step and gives every child the
// same answer. A mutating step's confirmation names how many targets it will touch. The
// person answers one question at a time: children on different branches asking different
// steps at once are asked one after the other (the TUI's broker holds one open prompt).
import type { Interactor } from '../engine/events.js';
import { ExitCode, UserError } from '../errors.js';

/** `stopped`: the fleet was cancelled; a question still queued is then not asked at all. */
export function fleetInteractor(person: Interactor, targetCount: number, stopped?: AbortSignal): Interactor {
  const asked = new Map<string, Promise<unknown>>();
  let previous: Promise<unknown> = Promise.resolve();
  const once = <T>(key: string, ask: () => Promise<T>): Promise<T> => {
    let answer = asked.get(key) as Promise<T> | undefined;
    if (answer === undefined) {
      answer = previous.then(() => (stopped?.aborted === true ? Promise.reject(new UserError('not asked: the fleet run was cancelled', { exitCode: ExitCode.cancelled })) : ask()));
      previous = answer.catch(() => undefined);
      asked.set(key, answer);
    }
    return answer;
  };
  const targets = `${targetCount} target${targetCount === 1 ? '' : 's'}`;
  return {
    ask: (step, spec) => once(`ask:${step.id}`, () => person.ask(step, { ...spec, question: `${spec.question} (answered once for all ${targets})` })),
    checklist: (step, spec) => once(`checklist:${step.id}`, () => person.checklist(step, spec)),
    note: (step, spec) => once(`note:${step.id}`, () => person.note(step, spec)),
    confirm: (step, question, command) => once(`confirm:${step.id}`, () => person.confirm(step, `${question} It runs on ${targets} of this fleet.`, command)),
    input: (name, spec, context) => once(`input:${name}`, () => person.input(name, spec, context)),
  };
}
