import type { CommandModule } from 'yargs';
import { setExitCode } from '../exit-code.js';
import { sessionFlagValues, withSessionFlags, type SessionFlagArgs } from './session-flags.js';

interface RunArgs extends SessionFlagArgs {
  runbook: string;
  bundle?: string;
  target?: string;
  output?: string[];
}

export const runCommandModule: CommandModule<object, RunArgs> = {
  command: 'run <runbook>',
  describe: 'Run a runbook (an id or a file) step by step, journaling the session',
  builder: (yargs) =>
    withSessionFlags(
      yargs
        .positional('runbook', { type: 'string', demandOption: true, describe: 'runbook id or path to a .yaml file' })
        .option('bundle', { type: 'string', describe: 'replay against a captured incident bundle directory' })
        .option('target', { type: 'string', describe: 'run commands on ssh://[user@]host[:port] or kubectl://[context/]namespace/pod[/container] (docs/remote.md)' })
        .option('output', { type: 'string', array: true, describe: 'STEPID=FILE: the step was run by hand; use FILE as its output (repeatable)' }),
      'input value NAME=VALUE (repeatable)',
    ),
  handler: async (args) => {
    const { runCommand } = await import('../../app/run-command.js');
    setExitCode(
      await runCommand({
        runbook: args.runbook,
        ...sessionFlagValues(args),
        ...(args.bundle !== undefined ? { bundle: args.bundle } : {}),
        ...(args.target !== undefined ? { target: args.target } : {}),
        ...(args.output !== undefined ? { output: args.output } : {}),
      }),
    );
  },
};
