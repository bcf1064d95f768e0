// Where the processes `runbook ps`, `runbook capture` and a `discover: go` pid live: this
// host (read straight from /proc) or a remote target (remote-process-host.ts, the
// same files read through the transport). Discovery (discover.ts) is written once
// against this interface.
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { readGoVersion, type BuildInfoVersion } from './go-buildinfo.js';
import { fetchBounded } from './http-fetch.js';
import { listeningSockets, type ListeningSocket } from './listening-sockets.js';
import { readProcFile, type ProcRead } from './proc-file.js';
import { readProcText, splitCmdline, vmRssKb } from './proc-text.js';

export interface Executable {
  pid: number;
  /** Identity of the executable file (device:inode): processes of one binary share it, so
   *  it is read once. Not the path: two containers' `/app/server` are different files. */
  file: string;
}

export interface ProcessDetails {
  /** Command name (/proc/PID/comm). */
  name: string;
  cmdline: string[];
  rss_kb: number | null;
  sockets: ListeningSocket[];
  /** Its network namespace (`net:[INODE]`), when readable: sockets of another namespace than
   *  the prober's cannot be reached at the addresses /proc shows. */
  netns: string | null;
}

export interface ProcessHost {
  /** How lists and messages name it: `this host`, or the target's URL. */
  readonly label: string;
  /** Processes whose executable can be read (other users' need root), not this tool itself. */
  executables(): Promise<Executable[]>;
  /** Go version from the build info of the process's executable; undefined: not Go;
   *  null: it could not be read (the process is gone). */
  goVersion(pid: number): Promise<BuildInfoVersion>;
  /** For each pid still there and readable. */
  details(pids: number[]): Promise<Map<number, ProcessDetails>>;
  /** For each base URL, whether GET BASE/debug/pprof/ answers 2xx, asked from this host. */
  answersPprof(bases: string[], timeoutMs: number): Promise<boolean[]>;
  /** The network namespace the probes run in, when readable. */
  proberNetns(): Promise<string | null>;
  /** A /proc file whole in one read(), or why not. */
  readProcFile(path: string): Promise<ProcRead>;
  hostName(): Promise<string>;
  /** Reads that failed: a list built from them may lack processes. */
  failures(): string[];
  /** What could not be learnt, though the list is whole (no curl on the target: no pprof addresses). */
  warnings(): string[];
}

/** Probes in flight at once on this host. */
const PROBE_CONCURRENCY = 16;

export const localProcessHost: ProcessHost = {
  label: 'this host',
  async executables() {
    const found: Executable[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      try {
        const stat = statSync(`/proc/${entry}/exe`);
        found.push({ pid: Number(entry), file: `${stat.dev}:${stat.ino}` });
      } catch {
        // A kernel thread, a process that exited, or another user's.
      }
    }
    return found;
  },
  goVersion(pid) {
    return readGoVersion(`/proc/${pid}/exe`);
  },
  async details(pids) {
    const details = new Map<number, ProcessDetails>();
    for (const pid of pids) {
      const cmdline = readProcFile(`/proc/${pid}/cmdline`);
      if (!cmdline.ok) continue;
      details.set(pid, {
        name: readProcText(`/proc/${pid}/comm`).trim(),
        cmdline: splitCmdline(cmdline.bytes),
        rss_kb: vmRssKb(readProcText(`/proc/${pid}/status`)),
        sockets: listeningSockets(pid),
        netns: readLink(`/proc/${pid}/ns/net`),
      });
    }
    return details;
  },
  async answersPprof(bases, timeoutMs) {
    const answers = bases.map(() => false);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let index = next++; index < bases.length; index = next++) {
        answers[index] = (await fetchBounded(`${bases[index]}/debug/pprof/`, { timeoutMs, maxBytes: 1 << 20 })).ok;
      }
    };
    await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, bases.length) }, worker));
    return answers;
  },
  async proberNetns() {
    return readLink('/proc/self/ns/net');
  },
  async readProcFile(path) {
    return readProcFile(path);
  },
  async hostName() {
    return hostname();
  },
  failures() {
    return [];
  },
  warnings() {
    return [];
  },
};

function readLink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}
