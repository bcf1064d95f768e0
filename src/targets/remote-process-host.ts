// The processes of a remote target (collectors/process-host.ts): the same /proc files
// and executables the local host reads, fetched in batches through the transport
// (remote-reads.ts), and pprof endpoints probed by curl on the far side, where they
// usually listen on loopback only.
import { goVersionOf } from '../collectors/go-buildinfo.js';
import { listeningSocketsIn } from '../collectors/listening-sockets.js';
import type { Executable, ProcessDetails, ProcessHost } from '../collectors/process-host.js';
import { splitCmdline, vmRssKb } from '../collectors/proc-text.js';
import type { ProcRead } from '../collectors/proc-file.js';
import { remoteProcFile } from './remote-evidence.js';
import { RemoteReads } from './remote-reads.js';
import { captureOnTarget } from './run-on-target.js';
import type { RemoteTarget } from './target.js';

/**
 * `sh -c PROBE runbook-probe SECONDS URL…`: a line `INDEX HTTP_CODE` per URL (000: no
 * answer), all probed at once; `no-curl` when the target has no curl. Each line is one
 * short write, so the background jobs' lines do not mix.
 */
const REMOTE_PROBE = [
  'command -v curl >/dev/null 2>&1 || { echo no-curl; exit 0; }',
  't=$1',
  'shift',
  'i=0',
  'for url in "$@"; do',
  `  { echo "$i $(curl -s -o /dev/null -w '%{http_code}' --max-time "$t" --max-filesize 1048576 --url "$url")"; } &`,
  '  i=$((i + 1))',
  'done',
  'wait',
].join('\n');

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

  executables(): Promise<Executable[]> {
    return this.reads.executables();
  }

  goVersion(pid: number): Promise<string | undefined> {
    return goVersionOf(this.reads.ranges(`/proc/${pid}/exe`));
  }

  async details(pids: number[]): Promise<Map<number, ProcessDetails>> {
    const text = async (path: string): Promise<string> => (await this.reads.file(path)).toString('utf8');
    const entries = await Promise.all(
      pids.map(async (pid) => {
        const proc = `/proc/${pid}`;
        const [cmdline, name, status, links, tcp, tcp6] = await Promise.all([
          this.reads.file(`${proc}/cmdline`),
          text(`${proc}/comm`),
          text(`${proc}/status`),
          this.reads.links(`${proc}/fd`),
          text(`${proc}/net/tcp`),
          text(`${proc}/net/tcp6`),
        ]);
        // Every process has a status; none read means it exited or is not ours to read.
        if (status === '') return undefined;
        const details: ProcessDetails = { name: name.trim(), cmdline: splitCmdline(cmdline), rss_kb: vmRssKb(status), sockets: listeningSocketsIn(links, [tcp, tcp6]) };
        return [pid, details] as const;
      }),
    );
    return new Map(entries.filter((entry) => entry !== undefined));
  }

  async answersPprof(bases: string[], timeoutMs: number): Promise<boolean[]> {
    if (bases.length === 0) return [];
    const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
    const argv = ['sh', '-c', REMOTE_PROBE, 'runbook-probe', seconds, ...bases.map((base) => `${base}/debug/pprof/`)];
    const captured = await captureOnTarget(this.target, argv, { timeoutMs: timeoutMs + 30_000, what: 'probing pprof', ...(this.signal ? { signal: this.signal } : {}) });
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

  readProcFile(path: string): Promise<ProcRead> {
    return remoteProcFile(this.target, path, this.signal);
  }

  async hostName(): Promise<string> {
    // The remote shell's UTS namespace: the host's name over ssh, the pod's name in a pod.
    return (await this.reads.file('/proc/sys/kernel/hostname')).toString('utf8').trim() || this.target.url;
  }

  warnings(): string[] {
    return [...this.reads.failed, ...this.notes];
  }
}
