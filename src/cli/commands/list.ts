import type { CommandModule } from 'yargs';

export const listCommand: CommandModule<object, { json: boolean }> = {
  command: 'list',
  describe: 'List the runbooks found (shipped, and in RUNBOOK_PATH directories)',
  builder: (yargs) => yargs.option('json', { type: 'boolean', default: false, describe: 'print a JSON array of {id, title, summary, file, problems}' }),
  handler: async (argv) => {
    const { listRunbooks } = await import('../list-runbooks.js');
    await listRunbooks({ json: argv.json });
  },
};
