import type { CommandModule } from 'yargs';

export const showCommand: CommandModule<object, { runbook: string }> = {
  command: 'show <runbook>',
  describe: 'Show a runbook (id or file): its inputs, steps and branches',
  builder: (yargs) => yargs.positional('runbook', { type: 'string', demandOption: true, describe: 'runbook id or path to a .yaml file' }),
  handler: async (argv) => {
    const { showRunbook } = await import('../show-runbook.js');
    await showRunbook(argv.runbook);
  },
};
