import type { CommandModule } from 'yargs';

export const testCommand: CommandModule<object, { paths?: string[] }> = {
  command: 'test [paths..]',
  describe: 'Replay runbook test cases (files or directories; default: runbooks/tests/) against their bundles: one ✔/✘ line per case, exit 1 if any fails',
  builder: (yargs) => yargs.positional('paths', { type: 'string', array: true, describe: 'test case files or directories of them' }),
  handler: async (argv) => {
    const { runRunbookTests } = await import('../run-runbook-tests.js');
    await runRunbookTests(argv.paths ?? []);
  },
};
