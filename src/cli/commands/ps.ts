import type { CommandModule } from 'yargs';
import { ExitCode } from '../../errors.js';
import { setExitCode } from '../exit-code.js';

interface PsArgs {
  json: boolean;
  target?: string;
}

export const psCommand: CommandModule<object, PsArgs> = {
  command: 'ps',
  describe: 'List the Go processes on this host or a target: pid, name, Go version, RSS, net/http/pprof address (exit 1 when reads failed and the list may be incomplete)',
  builder: (yargs) =>
    yargs
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON array' })
      .option('target', { type: 'string', describe: 'list them on ssh://[user@]host[:port] or kubectl://[context/]namespace/pod[/container] (docs/remote.md)' }),
  handler: async (args) => {
    const { parseTarget } = await import('../../targets/target.js');
    const { processHostFor } = await import('../../collectors/process-host-for.js');
    const { discoverGoProcesses } = await import('../../collectors/discover.js');
    const host = processHostFor(args.target === undefined ? undefined : parseTarget(args.target));
    const { processes, failures, warnings } = await discoverGoProcesses(host);
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    // The list is printed, but a script must not take it for the whole truth.
    for (const failure of failures) process.stderr.write(`error: the list may be incomplete: ${failure}\n`);
    if (failures.length > 0) setExitCode(ExitCode.stepFailed);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(processes, null, 2)}\n`);
      return;
    }
    if (processes.length === 0) {
      process.stderr.write(`no Go processes found on ${host.label} (other users’ processes are visible to root only)\n`);
      return;
    }
    const rows = processes.map((p) => [
      String(p.pid),
      p.name,
      p.go_version,
      p.rss_kb === null ? '?' : `${(p.rss_kb / 1024).toFixed(1)} MiB`,
      p.pprof ?? '-',
    ]);
    const table = [['PID', 'NAME', 'GO', 'RSS', 'PPROF'], ...rows];
    const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
    for (const row of table) {
      process.stdout.write(`${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')}\n`);
    }
  },
};
