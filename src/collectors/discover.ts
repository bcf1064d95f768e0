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
   *  Not less: on the 2-CPU test machine under the full test suite, 1 s probes missed. */
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
  // Every listening socket of every Go process is probed at once (bounded), so the list
  // takes one probe's time however many sockets there are.
  const probes = found.flatMap((goProcess) => pprofCandidates(goProcess.pid).map((base) => ({ goProcess, base, ok: false })));
  await forEachBounded(probes, options.concurrency ?? 16, async (probe) => {
    probe.ok = await answersPprof(probe.base, options.probeTimeoutMs ?? 2000);
  });
  for (const goProcess of found) goProcess.pprof = probes.find((p) => p.goProcess === goProcess && p.ok)?.base ?? null;
  return found.sort((a, b) => a.pid - b.pid);
}

/** The pprof base URL of `pid`: the lowest listening port that answers GET /debug/pprof/. */
export async function findPprof(pid: number, timeoutMs: number): Promise<string | null> {
  const candidates = pprofCandidates(pid);
  const answers = await Promise.all(candidates.map((base) => answersPprof(base, timeoutMs)));
  return candidates.find((_, i) => answers[i]) ?? null;
}

/** Base URLs of the process's listening TCP sockets, lowest port first. */
function pprofCandidates(pid: number): string[] {
  return listeningSockets(pid)
    .sort((a, b) => a.port - b.port)
    .map((socket) => `http://${socket.host}:${socket.port}`);
}

async function answersPprof(base: string, timeoutMs: number): Promise<boolean> {
  return (await fetchBounded(`${base}/debug/pprof/`, { timeoutMs, maxBytes: 1 << 20 })).ok;
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
