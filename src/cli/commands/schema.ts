import type { CommandModule } from 'yargs';

export const schemaCommand: CommandModule<object, { signatures: boolean }> = {
  command: 'schema',
  describe: 'Print the JSON Schema of the runbook format (for editors: see docs/runbook-format.md)',
  builder: (yargs) => yargs.option('signatures', { type: 'boolean', default: false, describe: 'the schema of the goroutine leak signature catalogue (runbooks/signatures/) instead' }),
  handler: async (args) => {
    const { printSchema } = await import('../print-schema.js');
    printSchema(args.signatures);
  },
};
