import type { CommandModule } from 'yargs';

export const schemaCommand: CommandModule = {
  command: 'schema',
  describe: 'Print the JSON Schema of the runbook format (for editors: see docs/runbook-format.md)',
  handler: async () => {
    const { printSchema } = await import('../print-schema.js');
    printSchema();
  },
};
