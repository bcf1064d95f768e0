// Go processes on a host (`runbook ps [--target]`, the TUI's process list, `discover: go`
// inputs): recognised from the Go build info in their executable, like gops, with their
// net/http/pprof address when one of their listening sockets answers it.
import { stripControlSequences } from '../redact/control-sequences.js';
import { localProcessHost, type ProcessDetails, type ProcessHost } from './process-host.js';

export interface GoProcess {
  pid: number;
  /** Command name (/proc/PID/comm). */
  name: string;
  cmdline: string[];
  go_version: string;
  rss_kb: number | null;
  /** Base URL of net/http/pprof, when a listening socket answers GET /debug/pprof/ with 2xx. */
  pprof: string | null;
}

export interface Discovery {
  processes: GoProcess[];
  /** Reads that failed (a connection dropped): the list may lack processes. */
  failures: string[];
  /** What could not be learnt though the list is whole, e.g. a target without curl cannot probe pprof. */
  warnings: string[];
}

export interface DiscoverOptions {
  /** Per probe; a pprof handler answers in microseconds, a stuck one must not stall the list.
   *  Not less: on the 2-CPU test machine under the full test suite, 1 s probes missed. */
  probeTimeoutMs?: number;
}

export async function discoverGoProcesses(host: ProcessHost = localProcessHost, options: DiscoverOptions = {}): Promise<Discovery> {
  const executables = await host.executables();
  // One build-info read per executable file: a host runs many processes of few binaries.
  // Through its oldest process first; one that exits mid-read (null) hands over to the next
  // of the same file, so a binary is not missed because one of its processes went away.
  const pidsByFile = new Map<string, number[]>();
  for (const { pid, file } of [...executables].sort((a, b) => a.pid - b.pid)) pidsByFile.set(file, [...(pidsByFile.get(file) ?? []), pid]);
  const versions = new Map([...pidsByFile].map(([file, pids]) => [file, versionThrough(host, pids)]));
  const goVersions = await Promise.all(executables.map(async ({ pid, file }) => ({ pid, version: await versions.get(file)! })));
  const goPids = goVersions.flatMap(({ pid, version }) => (version === undefined ? [] : [pid]));
  // Asked together: on a target they are one round trip.
  const [details, prober] = await Promise.all([host.details(goPids), host.proberNetns()]);

  const processes: GoProcess[] = goVersions.flatMap(({ pid, version }) => {
    const found = details.get(pid);
    if (version === undefined || found === undefined) return [];
    return [{ pid, name: displayable(found.name), cmdline: found.cmdline.map(displayable), go_version: version, rss_kb: found.rss_kb, pprof: null }];
  });
  // Every listening socket of every Go process is probed at once, so the list takes one
  // probe's time however many sockets there are.
  const elsewhere: { process: GoProcess; netns: string | null }[] = [];
  const candidates = processes.flatMap((goProcess) => {
    const found = details.get(goProcess.pid)!;
    if (!reachable(found, prober)) {
      if (found.sockets.length > 0) elsewhere.push({ process: goProcess, netns: found.netns });
      return [];
    }
    return pprofCandidates(found.sockets).map((base) => ({ goProcess, base }));
  });
  const answers = await host.answersPprof(
    candidates.map((candidate) => candidate.base),
    options.probeTimeoutMs ?? 2000,
  );
  for (const goProcess of processes) goProcess.pprof = candidates.find((c, i) => c.goProcess === goProcess && answers[i])?.base ?? null;
  const warnings = elsewhere.length > 0 ? [otherNetworkWarning(elsewhere), ...host.warnings()] : host.warnings();
  return { processes: processes.sort((a, b) => a.pid - b.pid), failures: host.failures(), warnings };
}

async function versionThrough(host: ProcessHost, pids: number[]): Promise<string | undefined> {
  for (const pid of pids) {
    const version = await host.goVersion(pid);
    if (version !== null) return version;
  }
  return undefined;
}

/** The pprof base URL of `pid`: the lowest listening port that answers GET /debug/pprof/.
 *  Null also when the process listens in another network namespace than the probes run in
 *  (a container seen from its node): there, 127.0.0.1:PORT is somebody else. */
export async function findPprof(pid: number, timeoutMs: number, host: ProcessHost = localProcessHost): Promise<string | null> {
  const [details, prober] = await Promise.all([host.details([pid]), host.proberNetns()]);
  const found = details.get(pid);
  if (found === undefined || !reachable(found, prober)) return null;
  const candidates = pprofCandidates(found.sockets);
  const answers = await host.answersPprof(candidates, timeoutMs);
  return candidates.find((_, i) => answers[i]) ?? null;
}

/** Whether the process's sockets are the ones the probes would reach: same network
 *  namespace, or one of the two unknown (then as before: probed). */
function reachable(details: ProcessDetails, prober: string | null): boolean {
  return details.netns === null || prober === null || details.netns === prober;
}

/** One line however many: on a node every container's process is in this case. */
function otherNetworkWarning(elsewhere: { process: GoProcess; netns: string | null }[]): string {
  const fix = 'pass it yourself (--pprof, --var pprof=…) or make the container the target (kubectl://…)';
  if (elsewhere.length === 1) {
    const [{ process, netns }] = elsewhere as [{ process: GoProcess; netns: string | null }];
    return `pid ${process.pid} (${process.name}) listens in another network namespace (${netns}, a container?): its pprof address cannot be probed from here; ${fix}`;
  }
  return `pids ${elsewhere.map(({ process }) => process.pid).join(', ')} listen in other network namespaces (containers?): their pprof addresses cannot be probed from here; ${fix}`;
}

/** Names and arguments are chosen by whoever started the process (prctl, argv): shown in
 *  tables and the TUI, they must not carry escape sequences or break a row. */
function displayable(text: string): string {
  return stripControlSequences(text).replace(/[\n\t]/g, ' ');
}

/** Base URLs of listening TCP sockets, lowest port first. */
function pprofCandidates(sockets: { host: string; port: number }[]): string[] {
  return [...sockets].sort((a, b) => a.port - b.port).map((socket) => `http://${socket.host}:${socket.port}`);
}
