import type { CommandModule } from 'yargs';

export const homeCommand: CommandModule = {
  command: '$0',
  describe: 'Open the interactive home screen (processes, example incidents, runbooks, sessions)',
  handler: async () => {
    const { openHome } = await import('../home-entry.js');
    await openHome();
  },
};
