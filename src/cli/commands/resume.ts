import type { CommandModule } from 'yargs';
import { setExitCode } from '../exit-code.js';

interface ResumeArgs {
  id: string;
  var?: string[];
  answer?: string[];
  'non-interactive'?: boolean;
  yes?: boolean;
  json?: boolean;
}

export const resumeCommandModule: CommandModule<object, ResumeArgs> = {
  command: 'resume <id>',
  describe: 'Continue a session that did not conclude, from its first unfinished step',
  builder: (yargs) =>
    yargs
      .positional('id', { type: 'string', demandOption: true, describe: 'session id or a unique prefix (runbook sessions)' })
      .option('var', { type: 'string', array: true, describe: 'secret inputs again (they are never journaled): NAME=VALUE' })
      .option('answer', { type: 'string', array: true, describe: 'answer STEP=CHOICE for ask/checklist/note steps' })
      .option('non-interactive', { type: 'boolean', describe: 'never open the TUI' })
      .option('yes', { type: 'boolean', describe: 'run interrupted steps again and confirm mutating steps' })
      .option('json', { type: 'boolean', describe: 'one JSON object per event on stdout' }),
  handler: async (args) => {
    const { resumeCommand } = await import('../../runner/resume-command.js');
    setExitCode(
      await resumeCommand({
        id: args.id,
        ...(args.var ? { var: args.var } : {}),
        ...(args.answer ? { answer: args.answer } : {}),
        nonInteractive: args['non-interactive'] === true,
        yes: args.yes === true,
        json: args.json === true,
      }),
    );
  },
};
