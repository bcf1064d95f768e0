import type { CommandModule } from 'yargs';

export const validateCommand: CommandModule<object, { files?: string[] }> = {
  command: 'validate [files..]',
  describe: 'Check runbooks (files or directories; default: every runbook found): one FILE:LINE:COL line per problem, exit 2 if any',
  builder: (yargs) => yargs.positional('files', { type: 'string', array: true, describe: 'runbook files or directories of them' }),
  handler: async (argv) => {
    const { validateRunbooks } = await import('../validate-runbooks.js');
    await validateRunbooks(argv.files ?? []);
  },
};
