// The processes of a remote target (collectors/process-host.ts): the same /proc files
// and executables the local host reads, fetched in batches through the transport
// (remote-reads.ts), and pprof endpoints probed by curl on the far side, where they
// usually listen on loopback only.
import { goVersionOf, type BuildInfoVersion } from './go-buildinfo.js';
import { listeningSocketsIn } from './listening-sockets.js';
import type { Executable, ProcessDetails, ProcessHost } from './process-host.js';
import { splitCmdline, vmRssKb } from './proc-text.js';
import type { ProcRead } from './proc-file.js';
import { remoteProcFile } from '../targets/remote-evidence.js';
import { RemoteReads } from './remote-reads.js';
import { captureOnTarget } from '../targets/run-on-target.js';
import type { RemoteTarget } from '../targets/target.js';
import { UserError } from '../errors.js';

/**
 * `sh -c PROBE runbook-probe SECONDS URL…`: a line `INDEX HTTP_CODE` per URL (000: no
 * answer), 16 at a time; `no-curl` when the target has no curl. Each line is one short
 * write, so the background jobs' lines do not mix. `--noproxy '*'`: a proxy set in the
 * remote environment must not answer for the target's own loopback.
 */
const REMOTE_PROBE = [
  'command -v curl >/dev/null 2>&1 || { echo no-curl; exit 0; }',
  't=$1',
  'shift',
  'i=0',
  'for url in "$@"; do',
  `  { echo "$i $(curl -s -o /dev/null -w '%{http_code}' --noproxy '*' --max-time "$t" --max-filesize 1048576 --url "$url")"; } &`,
  '  i=$((i + 1))',
  '  [ $((i % 16)) -ne 0 ] || wait',
  'done',
  'wait',
].join('\n');

/** A line of a few bytes per URL probed. */
const PROBE_ANSWER_BYTES = 1 << 20;
/** URLs per probe command: their text must stay far below the 128 KiB of one ssh argument. */
const PROBES_PER_COMMAND = 500;
/** What the details round reads of each file (`comm` is 16 bytes; a cmdline is capped by
 *  ARG_MAX, 2 MiB by default). */
const SMALL_FILE = 64 << 10;
const CMDLINE_MAX = 2 << 20;

export class RemoteProcessHost implements ProcessHost {
  readonly label: string;
  private readonly reads: RemoteReads;
  private readonly notes: string[] = [];

  constructor(
    private readonly target: RemoteTarget,
    private readonly signal?: AbortSignal,
  ) {
    this.label = target.url;
    this.reads = new RemoteReads(target, signal);
  }

  async executables(): Promise<Executable[]> {
    // The listing's own shell is always among them: none at all means the listing broke
    // (a fork refused on a loaded host), never an empty host. Once more, then say so.
    for (let attempt = 0; attempt < 2; attempt++) {
      const found = await this.reads.executables();
      if (found.length > 0) return found;
    }
    throw new UserError(`listing the processes on ${this.target.url} gave nothing, twice`, { hint: 'try again; check that stat and xargs work there (docs/remote.md)' });
  }

  goVersion(pid: number): Promise<BuildInfoVersion> {
    return goVersionOf(this.reads.ranges(`/proc/${pid}/exe`));
  }

  async details(pids: number[]): Promise<Map<number, ProcessDetails>> {
    const text = async (path: string, maxBytes: number): Promise<string> => (await this.reads.file(path, maxBytes)).toString('utf8');
    const entries = await Promise.all(
      pids.map(async (pid) => {
        const proc = `/proc/${pid}`;
        const [cmdline, name, status, fds, namespaces, tcp, tcp6] = await Promise.all([
          this.reads.file(`${proc}/cmdline`, CMDLINE_MAX),
          text(`${proc}/comm`, SMALL_FILE),
          text(`${proc}/status`, SMALL_FILE),
          this.reads.links(`${proc}/fd`),
          this.reads.links(`${proc}/ns`),
          this.reads.listening(`${proc}/net/tcp`),
          this.reads.listening(`${proc}/net/tcp6`),
        ]);
        // Every process has a status; none read means it exited or is not ours to read.
        if (status === '') return undefined;
        const details: ProcessDetails = {
          name: name.trim(),
          cmdline: splitCmdline(cmdline),
          rss_kb: vmRssKb(status),
          sockets: listeningSocketsIn(
            fds.map((fd) => fd.target),
            [tcp, tcp6],
          ),
          netns: netOf(namespaces),
        };
        return [pid, details] as const;
      }),
    );
    return new Map(entries.filter((entry) => entry !== undefined));
  }

  async answersPprof(bases: string[], timeoutMs: number): Promise<boolean[]> {
    const answers: boolean[] = [];
    for (let start = 0; start < bases.length; start += PROBES_PER_COMMAND) {
      answers.push(...(await this.probe(bases.slice(start, start + PROBES_PER_COMMAND), timeoutMs)));
    }
    return answers;
  }

  private async probe(bases: string[], timeoutMs: number): Promise<boolean[]> {
    const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
    const argv = ['sh', '-c', REMOTE_PROBE, 'runbook-probe', seconds, ...bases.map((base) => `${base}/debug/pprof/`)];
    // 16 probes at a time, each bounded by curl's --max-time, plus the connection.
    const bound = Math.ceil(bases.length / 16) * (timeoutMs + 1000) + 30_000;
    const captured = await captureOnTarget(this.target, argv, { timeoutMs: bound, maxBytes: PROBE_ANSWER_BYTES, what: 'probing pprof', ...(this.signal ? { signal: this.signal } : {}) });
    const answers = bases.map(() => false);
    if (!captured.ok) {
      this.notes.push(captured.reason);
      return answers;
    }
    const output = captured.bytes.toString('latin1');
    if (/^no-curl$/m.test(output)) {
      this.notes.push(`${this.target.url} has no curl: pprof endpoints cannot be found or read there (give --pprof, or install curl)`);
      return answers;
    }
    for (const match of output.matchAll(/^(\d+) (\d{3})$/gm)) {
      const index = Number(match[1]);
      if (index < answers.length) answers[index] = match[2]!.startsWith('2');
    }
    return answers;
  }

  async proberNetns(): Promise<string | null> {
    // The reads' own `ls` runs where the probes' curl will: the login shell's namespace.
    // A failed read leaves it unknown (and is among failures()), as a local unreadable one does.
    return netOf(await this.reads.links('/proc/self/ns').catch(() => []));
  }

  readProcFile(path: string): Promise<ProcRead> {
    return remoteProcFile(this.target, path, this.signal);
  }

  async hostName(): Promise<string> {
    // The remote shell's UTS namespace: the host's name over ssh, the pod's name in a pod.
    return (await this.reads.file('/proc/sys/kernel/hostname', SMALL_FILE)).toString('utf8').trim() || this.target.url;
  }

  failures(): string[] {
    return [...this.reads.failed];
  }

  warnings(): string[] {
    return [...new Set(this.notes)];
  }
}

/** `net:[INODE]`, or null: anything else the far side sends is not shown (it is printed in warnings). */
function netOf(namespaces: { name: string; target: string }[]): string | null {
  const net = namespaces.find((namespace) => namespace.name === 'net')?.target;
  return net !== undefined && /^net:\[\d+\]$/.test(net) ? net : null;
}
