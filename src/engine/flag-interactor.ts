// The plain runner's Interactor: answers come from `--answer step=value` flags and defaults.
// A question it cannot answer stops the run with a UserError naming the flag to pass; a
// checklist without an answer does not (it is guidance): it is recorded unticked.
import type { Interactor } from './events.js';
import { UserError } from '../errors.js';

export function flagInteractor(answers: Record<string, string>): Interactor {
  return {
    async ask(step, spec) {
      const choices = spec.choices.map((c) => c.value);
      const given = answers[step.id] ?? spec.default;
      if (given === undefined) {
        throw new UserError(`step ${step.id} asks "${spec.question}" and no answer was given`, {
          hint: `pass --answer ${step.id}=<${choices.join('|')}>`,
        });
      }
      if (!choices.includes(given)) {
        throw new UserError(`--answer ${step.id}=${given} is not a choice of "${spec.question}"`, { hint: `choose one of ${choices.join(', ')}` });
      }
      return given;
    },
    async checklist(step, spec) {
      const given = answers[step.id];
      if (given === undefined) return { notReviewed: 'not reviewed: non-interactive run' };
      if (given === 'all') return spec.items.map(() => true);
      if (given === 'none') return spec.items.map(() => false);
      const ticked = given.split(',').map((n) => Number.parseInt(n.trim(), 10));
      if (ticked.some((n) => !Number.isInteger(n) || n < 1 || n > spec.items.length)) {
        throw new UserError(`--answer ${step.id}=${given}: item numbers run from 1 to ${spec.items.length}`);
      }
      return spec.items.map((_, i) => ticked.includes(i + 1));
    },
    async note(step, spec) {
      const given = answers[step.id];
      if (given !== undefined) return given;
      if (spec.optional === true) return '';
      throw new UserError(`step ${step.id} asks for a note ("${spec.prompt}") and none was given`, { hint: `pass --answer ${step.id}="your note"` });
    },
    async confirm(step, question) {
      throw new UserError(`step ${step.id} needs confirmation: ${question}`, { hint: 'pass --yes to confirm (it is not asked in non-interactive mode)' });
    },
    async input(name, spec) {
      const what = spec.prompt ?? spec.description ?? name;
      throw new UserError(`input ${name} (${what}) has no value and no default`, { hint: `pass --var ${name}=<${spec.type}>` });
    },
  };
}
