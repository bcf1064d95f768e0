import type { CommandModule } from 'yargs';
import { setExitCode } from '../exit-code.js';
import { sessionFlagValues, withSessionFlags, type SessionFlagArgs } from './session-flags.js';

interface ResumeArgs extends SessionFlagArgs {
  id: string;
}

export const resumeCommandModule: CommandModule<object, ResumeArgs> = {
  command: 'resume <id>',
  describe: 'Continue a session that did not conclude, from its first unfinished step',
  builder: (yargs) =>
    withSessionFlags(
      yargs.positional('id', { type: 'string', demandOption: true, describe: 'session id or a unique prefix (runbook sessions)' }),
      'secret inputs again (they are never journaled): NAME=VALUE',
    ),
  handler: async (args) => {
    const { resumeCommand } = await import('../../app/resume-command.js');
    setExitCode(await resumeCommand({ id: args.id, ...sessionFlagValues(args) }));
  },
};
