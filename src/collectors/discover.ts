// Go processes on this host (`runbook ps`, the TUI's process picker, `discover: go`
// inputs): recognised from the Go build info in their executable, like gops, with
// their net/http/pprof address when one of their listening sockets answers it.
import { readdirSync } from 'node:fs';
import { getParser } from '../parsers/registry.js';
import { readGoVersion } from './go-buildinfo.js';
import { fetchBounded } from './http-fetch.js';
import { listeningSockets } from './listening-sockets.js';
import { readProcFile } from './proc-file.js';

export interface GoProcess {
  pid: number;
  /** Command name (/proc/PID/comm). */
  name: string;
  cmdline: string[];
  go_version: string;
  rss_kb: number | null;
  /** Base URL of net/http/pprof, when a listening socket answers GET /debug/pprof/ with 200. */
  pprof: string | null;
}

export interface DiscoverOptions {
  /** Per probe; a pprof handler answers in microseconds, a stuck one must not stall the list.
   *  Not less: a service in a 300 ms stop-the-world pause (examples/gc-stw-pauses) missed 500 ms. */
  probeTimeoutMs?: number;
  /** Probes in flight at once. */
  concurrency?: number;
}

export async function discoverGoProcesses(options: DiscoverOptions = {}): Promise<GoProcess[]> {
  const found: GoProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const goVersion = readGoVersion(`/proc/${pid}/exe`);
    if (!goVersion) continue;
    found.push({
      pid,
      name: readText(`/proc/${pid}/comm`).trim(),
      cmdline: readText(`/proc/${pid}/cmdline`).split('\0').filter((arg) => arg !== ''),
      go_version: goVersion,
      rss_kb: vmRssKb(pid),
      pprof: null,
    });
  }
  await forEachBounded(found, options.concurrency ?? 8, async (goProcess) => {
    goProcess.pprof = await findPprof(goProcess.pid, options.probeTimeoutMs ?? 1000);
  });
  return found.sort((a, b) => a.pid - b.pid);
}

/** The pprof base URL of `pid`, probing its listening sockets in port order. */
export async function findPprof(pid: number, timeoutMs: number): Promise<string | null> {
  const sockets = listeningSockets(pid).sort((a, b) => a.port - b.port);
  for (const socket of sockets) {
    const base = `http://${socket.host}:${socket.port}`;
    const probe = await fetchBounded(`${base}/debug/pprof/`, { timeoutMs, maxBytes: 1 << 20 });
    if (probe.ok) return base;
  }
  return null;
}

function readText(path: string): string {
  const read = readProcFile(path);
  return read.ok ? read.bytes.toString('utf8') : '';
}

function vmRssKb(pid: number): number | null {
  const value = getParser('proc-status')?.parse(readText(`/proc/${pid}/status`)).facts['vm_rss_kb'];
  return typeof value === 'number' ? value : null;
}

async function forEachBounded<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}
