// Manual steps answered once for the fleet: every child asks this Interactor, which asks
// the person (the TUI, or --answer flags headless) once per step and gives every child the
// same answer. A mutating step's confirmation names how many targets it will touch.
import type { Interactor } from '../engine/events.js';

export function fleetInteractor(person: Interactor, targetCount: number): Interactor {
  const asked = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, ask: () => Promise<T>): Promise<T> => {
    let answer = asked.get(key) as Promise<T> | undefined;
    if (answer === undefined) {
      answer = ask();
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
