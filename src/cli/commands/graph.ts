import type { CommandModule } from 'yargs';

interface GraphArgs {
  runbook: string;
}

export const graphCommand: CommandModule<object, GraphArgs> = {
  command: 'graph <runbook>',
  describe: "Print a runbook's flowchart (Mermaid) for docs and reviews",
  builder: (yargs) => yargs.positional('runbook', { type: 'string', demandOption: true, describe: 'runbook id or file' }),
  handler: async (args) => {
    const [{ resolveRunbook }, { loadRunbook }, { graphRunbook }] = await Promise.all([
      import('../../runbook/discover.js'),
      import('../../runbook/load.js'),
      import('../../notes/export.js'),
    ]);
    process.stdout.write(graphRunbook(await loadRunbook(await resolveRunbook(args.runbook))));
  },
};
