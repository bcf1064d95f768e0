import type { CommandModule } from 'yargs';

interface PsArgs {
  json: boolean;
}

export const psCommand: CommandModule<object, PsArgs> = {
  command: 'ps',
  describe: 'List the Go processes on this host: pid, name, Go version, RSS, net/http/pprof address',
  builder: (yargs) => yargs.option('json', { type: 'boolean', default: false, describe: 'print a JSON array' }),
  handler: async (args) => {
    const { discoverGoProcesses } = await import('../../collectors/discover.js');
    const processes = await discoverGoProcesses();
    if (args.json) {
      process.stdout.write(`${JSON.stringify(processes, null, 2)}\n`);
      return;
    }
    if (processes.length === 0) {
      process.stderr.write('no Go processes found (other users’ processes are visible to root only)\n');
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
