// Discovery's own logic over a ProcessHost: one build-info read per executable file, and a
// file whose first process exits mid-read is read through its next one. (The real hosts
// are tested against /proc and a loopback sshd: ps-capture and remote-discovery tests.)
import { describe, expect, it } from 'vitest';
import { discoverGoProcesses } from '../../src/collectors/discover.js';
import type { BuildInfoVersion } from '../../src/collectors/go-buildinfo.js';
import type { ProcessDetails, ProcessHost } from '../../src/collectors/process-host.js';

function host(versions: Record<number, BuildInfoVersion>, files: Record<number, string>, asked: number[]): ProcessHost {
  const details = (pid: number): ProcessDetails => ({ name: `p${pid}`, cmdline: [`p${pid}`], rss_kb: 1, sockets: [], netns: null });
  return {
    label: 'test host',
    executables: async () => Object.entries(files).map(([pid, file]) => ({ pid: Number(pid), file })),
    goVersion: async (pid) => {
      asked.push(pid);
      return versions[pid];
    },
    details: async (pids) => new Map(pids.map((pid) => [pid, details(pid)])),
    answersPprof: async (bases) => bases.map(() => false),
    proberNetns: async () => null,
    readProcFile: async () => ({ ok: false, reason: 'unused' }),
    hostName: async () => 'test',
    failures: () => [],
    warnings: () => [],
  };
}

describe('discoverGoProcesses', () => {
  it('reads each executable file once, through its oldest process', async () => {
    const asked: number[] = [];
    const found = await discoverGoProcesses(host({ 10: 'go1.22.1', 30: 'go1.22.1', 20: undefined }, { 30: 'a', 10: 'a', 20: 'b' }, asked));
    expect(found.processes.map((p) => [p.pid, p.go_version])).toEqual([
      [10, 'go1.22.1'],
      [30, 'go1.22.1'],
    ]);
    expect(asked.sort()).toEqual([10, 20]);
  });

  it('reads a file through its next process when the first went away mid-read', async () => {
    const asked: number[] = [];
    const found = await discoverGoProcesses(host({ 10: null, 30: 'go1.21.0' }, { 10: 'a', 30: 'a' }, asked));
    expect(found.processes.map((p) => [p.pid, p.go_version])).toEqual([
      [10, 'go1.21.0'],
      [30, 'go1.21.0'],
    ]);
    expect(asked).toEqual([10, 30]);
  });
});
