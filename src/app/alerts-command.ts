// `runbook alerts [--alertmanager URL] [--json]`: the firing alerts, each with its runbook.
import { firingAlerts, shownAlertmanager } from '../alerts/alertmanager.js';
import { listAlerts } from '../alerts/alert-listing.js';
import { alertName, firingFor, keyLabels } from '../alerts/describe-alert.js';
import { loadSettings } from '../config/settings.js';
import { UserError } from '../errors.js';
import { discoverRunbooks } from '../runbook/discover.js';

export async function alertsCommand(flags: { alertmanager?: string; json: boolean }): Promise<void> {
  const alertmanager = flags.alertmanager ?? loadSettings().settings.alertmanager;
  if (alertmanager === '') {
    throw new UserError('no Alertmanager to ask', { hint: 'pass --alertmanager URL, or set one: runbook config set alertmanager http://alertmanager:9093' });
  }
  const got = await firingAlerts(alertmanager);
  if (!got.ok) throw new UserError(`cannot read the alerts of ${shownAlertmanager(alertmanager)}: ${got.reason}`, { hint: 'check the URL: the Alertmanager API answers at URL/api/v2/alerts' });
  const runbooks = (await discoverRunbooks()).flatMap((found) => (found.runbook !== undefined ? [found.runbook] : []));
  // The command lines name the Alertmanager as shown: a password in its URL stays masked.
  const listed = listAlerts(got.payload.firing, runbooks, shownAlertmanager(alertmanager));
  for (const warning of got.payload.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (flags.json) {
    const rows = listed.map(({ runbook, ...rest }) => ({ ...rest, ...(runbook !== undefined ? { runbook: runbook.id } : {}) }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (listed.length === 0) {
    process.stdout.write(`no firing alerts at ${shownAlertmanager(alertmanager)}\n`);
    return;
  }
  const now = Date.now();
  for (const entry of listed) {
    const { alert } = entry;
    process.stdout.write(`${alertName(alert)}  ${keyLabels(alert)}\n`);
    process.stdout.write(`  firing for ${firingFor(alert, now)} (since ${alert.starts_at})\n`);
    if (entry.command !== undefined) process.stdout.write(`  runbook ${entry.runbook!.id}: ${entry.command}\n`);
    else process.stdout.write(`  no runbook to run: ${entry.problem ?? 'none answers it'}\n`);
  }
}
