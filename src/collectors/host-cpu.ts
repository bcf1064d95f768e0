// The `host_cpu` evidence: whether the host or the process's cgroup kept the service (and so
// the GC's stop-the-world) off the CPU, read at the time of the snapshot. Counters are
// cumulative, so two samples `windowMs` apart are taken: /proc/stat (steal, idle), /proc/loadavg
// (runnable now) and the process's cgroup cpu.stat (throttled periods; v2 and v1 layouts). The text written is
// what parsers/host-cpu.ts reads: `== section` lines, a file's text or `! reason` under each.
import type { ProcRead } from './proc-file.js';

export type FileReader = (path: string) => Promise<ProcRead>;

const defaultWindowMs = 1000;

/** The cgroup directory holding the process's cpu.stat: v2's `0::/path` under /sys/fs/cgroup,
 *  else v1's cpu controller (`N:cpu,cpuacct:/path` under /sys/fs/cgroup/cpu,cpuacct). */
async function cgroupCpuDir(pid: number, read: FileReader): Promise<{ dir: string; version: 1 | 2 } | { reason: string }> {
  const cgroup = await read(`/proc/${pid}/cgroup`);
  if (!cgroup.ok) return { reason: cgroup.reason };
  const lines = cgroup.bytes.toString('utf8').split('\n');
  for (const line of lines) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (controllers === undefined || path === undefined) continue;
    const list = controllers.split(',');
    if (list.includes('cpu')) return { dir: `/sys/fs/cgroup/${controllers}${path === '/' ? '' : path}`, version: 1 };
  }
  const unified = lines.find((line) => line.startsWith('0::'));
  if (unified !== undefined) return { dir: `/sys/fs/cgroup${unified.slice(3) === '/' ? '' : unified.slice(3)}`, version: 2 };
  return { reason: `/proc/${pid}/cgroup names no cpu controller and no unified (v2) cgroup` };
}

async function section(name: string, path: string, read: FileReader): Promise<string> {
  const got = await read(path);
  return `== ${name} ${path}\n${got.ok ? got.bytes.toString('utf8').trimEnd() : `! ${got.reason}`}\n`;
}

// The reads of one round go out together: on a remote target each is a round trip (about a
// second over ssh, several under load), and one after another they made a capture time out.
async function sample(index: number, cgroup: { dir: string; version: 1 | 2 } | { reason: string }, read: FileReader): Promise<string> {
  const taken = Date.now();
  const [stat, loadavg, cpuStat] = await Promise.all([
    read('/proc/stat'),
    section('loadavg', '/proc/loadavg', read),
    'dir' in cgroup ? section(`cpu.stat v${cgroup.version}`, `${cgroup.dir}/cpu.stat`, read) : Promise.resolve(`== cpu.stat\n! ${cgroup.reason}\n`),
  ]);
  // Only the cpu lines: the rest (interrupt counts) is large and unused.
  const cpuLines = stat.ok ? stat.bytes.toString('utf8').split('\n').filter((l) => l.startsWith('cpu')).join('\n') : `! ${stat.reason}`;
  return `== sample ${index} ${taken}\n== stat /proc/stat\n${cpuLines}\n${loadavg}${cpuStat}`;
}

function quota(cgroup: { dir: string; version: 1 | 2 } | { reason: string }, read: FileReader): Promise<string> {
  if (!('dir' in cgroup)) return Promise.resolve('');
  if (cgroup.version === 2) return section('cpu.max', `${cgroup.dir}/cpu.max`, read);
  return Promise.all([section('cfs_quota_us', `${cgroup.dir}/cpu.cfs_quota_us`, read), section('cfs_period_us', `${cgroup.dir}/cpu.cfs_period_us`, read)]).then((parts) => parts.join(''));
}

/** Two samples `windowMs` apart (the snapshot takes that much longer), with the cgroup's quota. */
export async function sampleHostCpu(pid: number, read: FileReader, signal?: AbortSignal, windowMs = defaultWindowMs): Promise<ProcRead> {
  const [cgroup, alive] = await Promise.all([cgroupCpuDir(pid, read), read(`/proc/${pid}/stat`)]);
  // A pid that is gone fails here, like the /proc collectors, not as a half-empty sample.
  if (!alive.ok) return alive;
  const [limits, first] = await Promise.all([quota(cgroup, read), sample(0, cgroup, read)]);
  let text = `== cgroup ${'dir' in cgroup ? `v${cgroup.version} ${cgroup.dir}` : `! ${cgroup.reason}`}\n${limits}${first}`;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, windowMs);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
  if (signal?.aborted) return { ok: false, reason: 'snapshot cancelled' };
  text += await sample(1, cgroup, read);
  return { ok: true, bytes: Buffer.from(text) };
}
