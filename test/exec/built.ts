// The built code, typed by its source: runProcess starts its watchdog from
// dist/exec/watchdog-main.js, which only a build has, so these tests run dist.
// (The specifier is cast so that TypeScript takes the types from src, not the untyped dist.)
import type * as RunProcess from '../../src/exec/run-process.js';
import type * as ShellForm from '../../src/exec/shell-form.js';

export const { runProcess } = (await import('../../dist/exec/run-process.js' as string)) as typeof RunProcess;
export const { shellArgv } = (await import('../../dist/exec/shell-form.js' as string)) as typeof ShellForm;
