import type { CommandModule } from 'yargs';
import { setExitCode } from '../exit-code.js';
import { sessionFlagValues, withSessionFlags, type SessionFlagArgs } from './session-flags.js';

interface RunArgs extends SessionFlagArgs {
  runbook?: string;
  alert?: string;
  'alert-index'?: string;
  bundle?: string;
  target?: string[];
  fleet?: string[];
  targets?: string;
  concurrency?: string;
  'target-timeout'?: string;
  output?: string[];
}

export const runCommandModule: CommandModule<object, RunArgs> = {
  command: 'run [runbook]',
  describe: 'Run a runbook (an id or a file) step by step, journaling the session',
  builder: (yargs) =>
    withSessionFlags(
      yargs
        .positional('runbook', { type: 'string', describe: 'runbook id or path to a .yaml file (with --alert: the one whose match: answers it when left out)' })
        .option('alert', { type: 'string', describe: 'start from an Alertmanager alert: FILE or - (a webhook payload or GET /api/v2/alerts JSON) or an Alertmanager URL (docs/alerts.md)' })
        .option('alert-index', { type: 'string', describe: 'which firing alert, when there are several: its fingerprint or its place from 1' })
        .option('bundle', { type: 'string', describe: 'replay against a captured incident bundle directory' })
        .option('target', { type: 'string', array: true, nargs: 1, describe: 'run commands on ssh://[user@]host[:port] or kubectl://[context/]namespace/pod[/container] (docs/remote.md); given twice or more, a fleet' })
        .option('fleet', { type: 'string', array: true, nargs: 1, describe: 'a fleet: kubectl://[context/]namespace/deployment|statefulset|daemonset/NAME or kubectl://[context/]namespace?selector=LABELS, optionally ?container=C / &container=C (repeatable; docs/remote.md "Fleets")' })
        .option('targets', { type: 'string', describe: 'a fleet: FILE with one ssh:// or kubectl:// target URL per line (# comments)' })
        .option('concurrency', { type: 'string', describe: 'fleet: targets diagnosed at once (default 8; setting fleet_concurrency)' })
        .option('target-timeout', { type: 'string', describe: 'fleet: cancel a target\'s session after this long (default 10m; setting fleet_target_timeout)' })
        .option('output', { type: 'string', array: true, describe: 'STEPID=FILE: the step was run by hand; use FILE as its output (repeatable)' }),
      'input value NAME=VALUE (repeatable)',
    ),
  handler: async (args) => {
    const [{ runCommand }, { isAlertmanagerUrl }, { readInput }] = await Promise.all([import('../../app/run-command.js'), import('../../app/alert-runbook.js'), import('../read-input.js')]);
    let alert: { label: string; text?: string } | undefined;
    if (args.alert !== undefined) {
      if (isAlertmanagerUrl(args.alert)) alert = { label: args.alert };
      else {
        const input = await readInput(args.alert, 'runbook run --alert');
        alert = { label: input.label, text: Buffer.from(input.bytes).toString('utf8') };
      }
    }
    setExitCode(
      await runCommand({
        ...(args.runbook !== undefined ? { runbook: args.runbook } : {}),
        ...(alert !== undefined ? { alert } : {}),
        ...(args['alert-index'] !== undefined ? { alertIndex: args['alert-index'] } : {}),
        ...sessionFlagValues(args),
        ...(args.bundle !== undefined ? { bundle: args.bundle } : {}),
        ...(args.target !== undefined ? { target: args.target } : {}),
        ...(args.fleet !== undefined ? { fleet: args.fleet } : {}),
        ...(args.targets !== undefined ? { targets: args.targets } : {}),
        ...(args.concurrency !== undefined ? { concurrency: args.concurrency } : {}),
        ...(args['target-timeout'] !== undefined ? { targetTimeout: args['target-timeout'] } : {}),
        ...(args.output !== undefined ? { output: args.output } : {}),
      }),
    );
  },
};
