// A child's view of the fleet's Interactor: a question it waits on ends when the child is
// stopped (its --target-timeout, or the fleet's Ctrl+C). The engine awaits a question with
// no signal of its own, so without this a child waiting on the person (or on a question
// queued behind another) held its slot past its timeout, and the first Ctrl+C did nothing
// until someone answered.
import type { Interactor } from '../engine/events.js';
import { ExitCode, UserError } from '../errors.js';

export function abortableInteractor(interactor: Interactor, signal: AbortSignal, why: () => string): Interactor {
  const race = <T>(asked: () => Promise<T>): Promise<T> => {
    if (signal.aborted) return Promise.reject(stopped(why()));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(stopped(why()));
      signal.addEventListener('abort', onAbort, { once: true });
      asked().then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  };
  return {
    ask: (step, spec) => race(() => interactor.ask(step, spec)),
    checklist: (step, spec) => race(() => interactor.checklist(step, spec)),
    note: (step, spec) => race(() => interactor.note(step, spec)),
    confirm: (step, question, command) => race(() => interactor.confirm(step, question, command)),
    input: (name, spec, context) => race(() => interactor.input(name, spec, context)),
  };
}

function stopped(reason: string): UserError {
  return new UserError(reason, { exitCode: ExitCode.cancelled });
}
