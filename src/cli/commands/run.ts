import type { CommandModule } from 'yargs';
import { setExitCode } from '../exit-code.js';
import { sessionFlagValues, withSessionFlags, type SessionFlagArgs } from './session-flags.js';

interface RunArgs extends SessionFlagArgs {
  runbook: string;
  bundle?: string;
}

export const runCommandModule: CommandModule<object, RunArgs> = {
  command: 'run <runbook>',
  describe: 'Run a runbook (an id or a file) step by step, journaling the session',
  builder: (yargs) =>
    withSessionFlags(
      yargs
        .positional('runbook', { type: 'string', demandOption: true, describe: 'runbook id or path to a .yaml file' })
        .option('bundle', { type: 'string', describe: 'replay against a captured incident bundle directory' }),
      'input value NAME=VALUE (repeatable)',
    ),
  handler: async (args) => {
    const { runCommand } = await import('../../runner/run-command.js');
    setExitCode(await runCommand({ runbook: args.runbook, ...sessionFlagValues(args), ...(args.bundle !== undefined ? { bundle: args.bundle } : {}) }));
  },
};
