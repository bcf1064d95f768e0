import type { CommandModule } from 'yargs';

interface ExportArgs {
  session: string;
  format: 'md' | 'json';
  out?: string;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <session>',
  describe: 'Export a session as incident notes (markdown for the ticket, or JSON)',
  builder: (yargs) =>
    yargs
      .positional('session', { type: 'string', demandOption: true, describe: 'session id or a unique prefix (runbook sessions lists them)' })
      .option('format', { choices: ['md', 'json'] as const, default: 'md' as const, describe: 'markdown or versioned JSON' })
      .option('out', { type: 'string', describe: 'write to this file (mode 0600) instead of stdout' }),
  handler: async (args) => {
    const { exportCommandHandler } = await import('../export-command.js');
    await exportCommandHandler(args.session, args.format, args.out);
  },
};
