import type { CommandModule } from 'yargs';

interface AlertsArgs {
  alertmanager?: string;
  json: boolean;
}

export const alertsCommand: CommandModule<object, AlertsArgs> = {
  command: 'alerts',
  describe: 'List the firing alerts of an Alertmanager with the runbook that answers each and the command that runs it (docs/alerts.md)',
  builder: (yargs) =>
    yargs
      .option('alertmanager', { type: 'string', describe: 'its base URL (default: the setting alertmanager)' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON array' }),
  handler: async (args) => {
    const { alertsCommand: run } = await import('../../app/alerts-command.js');
    await run({ ...(args.alertmanager !== undefined ? { alertmanager: args.alertmanager } : {}), json: args.json });
  },
};
