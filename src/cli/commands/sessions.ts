import type { CommandModule } from 'yargs';

interface SessionsArgs {
  json?: boolean;
}

export const sessionsCommandModule: CommandModule<object, SessionsArgs> = {
  command: 'sessions',
  describe: 'List sessions, newest first (id, runbook, target, status, times, conclusion)',
  builder: (yargs) => yargs.option('json', { type: 'boolean', describe: 'a JSON array on stdout' }),
  handler: async (args) => {
    const { sessionsCommand } = await import('../../runner/sessions-command.js');
    await sessionsCommand(args.json === true);
  },
};
