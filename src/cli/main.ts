// CLI entry: yargs wiring only. Each command lives in cli/commands/<name>.ts and loads
// its implementation lazily, so `runbook --help` and `runbook validate` never load
// React or Ink (style.md practice 6). yargs and the command table are loaded after the
// `--version` check and the plain forms of `runbook`, `runbook parse` and `runbook diff`:
// they were most of that start-up (issue 19, docs/architecture.md).
import type { Argv } from 'yargs';
import { ExitCode, UserError } from '../errors.js';
import { toolVersion } from '../util/version.js';
import { setExitCode, takeExitCode } from './exit-code.js';

export async function main(argv: string[]): Promise<number> {
  // `runbook list | head` closes the pipe early: that is the reader's choice, not an error.
  // EIO: the terminal itself is gone (its window closed, ssh dropped): nobody to tell, and
  // the session's journal already holds every step; exit as a hangup does (128 + SIGHUP).
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (error.code === 'EIO') process.exit(129);
    throw error;
  });
  // A throw from an event handler or a forgotten promise is a bug like any other: one line
  // and a details file, exit 70 (libuv restores the terminal mode on exit). The first one is
  // reported; any that follow while the reporter loads are the same failure's aftermath. A
  // reporter that cannot load still ends the process, with the exit code and one line.
  let failing: Promise<never> | undefined;
  const onUncaught = (error: unknown): void => {
    failing ??= reportFailure(error)
      .catch(() => {
        process.stderr.write('runbook: internal error (the failure reporter could not load)\n');
        return ExitCode.internal;
      })
      .then((code) => process.exit(code));
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  // What yargs prints for it, without loading yargs.
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${toolVersion()}\n`);
    return ExitCode.ok;
  }
  // The commands a user waits on, in their plain forms, also without yargs: loading yargs
  // and its help renderer was two fifths of `runbook parse`'s start-up and delayed the home
  // screen's first frame (CPU profiles, issue 19). Every other form goes through yargs.
  const direct = await directCommand(argv);
  if (direct !== undefined) {
    try {
      await direct();
      return takeExitCode();
    } catch (error) {
      return reportFailure(error);
    }
  }
  const [{ default: yargs }, { commands }] = await Promise.all([import('yargs'), import('./commands/index.js')]);
  let parser: Argv = yargs(stdinOptionValues(argv))
    .scriptName('runbook')
    .version(toolVersion())
    .usage('$0 [command]\n\nGuided incident runbooks for Go services, in the terminal.')
    .strict()
    .recommendCommands()
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      // yargs validation problems (unknown flag, missing argument) are usage errors.
      if (error) throw error;
      throw new UserError(message ?? 'invalid command line', { hint: 'see runbook --help' });
    });
  for (const command of commands) parser = parser.command(command);
  try {
    await parser.parseAsync();
    return takeExitCode();
  } catch (error) {
    return reportFailure(error);
  }
}

/**
 * The one failure reporter (app/report-failure.ts), loaded when a failure comes: with the
 * redactor and settings reader it needs for a bug's details file it was a sixth of the
 * modules `runbook parse` loaded before reading a byte (issue 19, docs/parsers.md).
 */
async function reportFailure(error: unknown): Promise<number> {
  return (await import('../app/report-failure.js')).reportFailure(error);
}

/** yargs takes a lone `-` for a positional, not an option's value: `run go-memory --alert -`
 *  failed as "Unknown argument: -". Written `--alert=-` it is the value. */
function stdinOptionValues(argv: readonly string[]): string[] {
  return argv.flatMap((arg, i) => (arg === '-' && argv[i - 1] === '--alert' ? [] : arg === '--alert' && argv[i + 1] === '-' ? ['--alert=-'] : [arg]));
}

/** `runbook` alone (the home screen) and the plain forms of `runbook parse` and `runbook diff` (see plainArgs). */
async function directCommand(argv: readonly string[]): Promise<(() => Promise<void>) | undefined> {
  if (argv.length === 0) {
    const { openHome } = await import('../app/home-entry.js');
    return async () => setExitCode(await openHome());
  }
  if (argv[0] === 'parse') {
    const { plainParseArgs, runParse } = await import('./commands/parse.js');
    const args = plainParseArgs(argv);
    return args && (() => runParse(args));
  }
  if (argv[0] === 'diff') {
    const { plainDiffArgs, runDiff } = await import('./commands/diff.js');
    const args = plainDiffArgs(argv);
    return args && (() => runDiff(args));
  }
  return undefined;
}

export { setExitCode, ExitCode };
