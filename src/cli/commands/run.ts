import type { CommandModule } from 'yargs';
import { setExitCode } from '../exit-code.js';

interface RunArgs {
  runbook: string;
  var?: string[];
  answer?: string[];
  'non-interactive'?: boolean;
  interactive?: boolean;
  yes?: boolean;
  json?: boolean;
  bundle?: string;
}

export const runCommandModule: CommandModule<object, RunArgs> = {
  command: 'run <runbook>',
  describe: 'Run a runbook (an id or a file) step by step, journaling the session',
  builder: (yargs) =>
    yargs
      .positional('runbook', { type: 'string', demandOption: true, describe: 'runbook id or path to a .yaml file' })
      .option('var', { type: 'string', array: true, describe: 'input value NAME=VALUE (repeatable)' })
      .option('answer', { type: 'string', array: true, describe: 'answer STEP=CHOICE for ask/checklist/note steps (repeatable)' })
      .option('non-interactive', { type: 'boolean', describe: 'never open the TUI; questions need --answer' })
      .option('interactive', { type: 'boolean', describe: 'open the TUI, or fail when there is no terminal' })
      .option('yes', { type: 'boolean', describe: 'confirm mutating steps and re-runs of interrupted steps' })
      .option('json', { type: 'boolean', describe: 'one JSON object per event on stdout' })
      .option('bundle', { type: 'string', describe: 'replay against a captured incident bundle directory' }),
  handler: async (args) => {
    const { runCommand } = await import('../../runner/run-command.js');
    setExitCode(
      await runCommand({
        runbook: args.runbook,
        ...(args.var ? { var: args.var } : {}),
        ...(args.answer ? { answer: args.answer } : {}),
        nonInteractive: args['non-interactive'] === true,
        interactive: args.interactive === true,
        yes: args.yes === true,
        json: args.json === true,
        ...(args.bundle !== undefined ? { bundle: args.bundle } : {}),
      }),
    );
  },
};
