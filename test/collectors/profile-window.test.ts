// The profiling window on the live Go test service in its cgo-calls mode: a CPU profile and
// an execution trace over the same 5 s, read with the Go toolchain here; `runbook capture
// --profile` keeps the trace in the bundle, and a machine without Go reports the reading as
// not available while the trace itself is still captured and replays where Go is.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileWindowCollectors } from '../../src/collectors/capture.js';
import { collectSnapshot } from '../../src/collectors/snapshot.js';
import { runCli } from '../helpers/cli.js';
import { gcLineCount, goServiceSkipReason, startGoService, waitUntil, type GoService } from '../helpers/go-service.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'runbook-window-'));

interface CgoSite {
  c_function: string;
  caller: string;
  site: string;
}

describe.skipIf(goServiceSkipReason !== undefined)(`profiling window on a live Go service${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
  let service: GoService;
  beforeAll(async () => {
    service = await startGoService('cgo-calls');
    await waitUntil('5 GC cycles', () => gcLineCount(service) >= 5, 60_000);
  }, 120_000);
  afterAll(async () => {
    await service.stop();
  });

  it('profiles and traces the same seconds and names the C calls in flight at each pause', async () => {
    const dir = tempDir();
    const result = await collectSnapshot({ collect: profileWindowCollectors, pid: service.pid, pprof: service.url, outDir: dir });
    expect(result.facts['missing']).toEqual({});
    expect(readdirSync(dir).sort()).toEqual(['cpu.pb.gz', 'taken_at', 'trace-stw.json', 'trace-syscall.pb.gz', 'trace.out']);
    expect(result.facts['exec_trace']).toMatchObject({ format: 'go 1.19' });
    const profile = result.facts['cpu_profile'] as unknown as { duration_s: number; cgo_percent: number; cgo_sites: CgoSite[] };
    const trace = result.facts['trace_stw'] as { window_ms: number; stw_count: number; stw_in_syscall_count: number; in_syscall_avg: number };
    expect(profile.duration_s).toBeGreaterThanOrEqual(5);
    expect(trace.window_ms).toBeGreaterThan(4500);
    // Two goroutines spin in C: most CPU samples are inside the call, at the calling line.
    expect(profile.cgo_percent).toBeGreaterThan(50);
    expect(profile.cgo_sites[0]).toMatchObject({ c_function: 'c_spin_ms', caller: 'main.longCgoCalls.func1', site: expect.stringMatching(/^leaky\/mode_gcpauses\.go:\d+$/) });
    // Four goroutines call C back to back while a GC is forced every 300 ms.
    expect(trace.stw_count).toBeGreaterThanOrEqual(2);
    expect(trace.stw_in_syscall_count).toBeGreaterThanOrEqual(1);
    expect(trace.in_syscall_avg).toBeGreaterThan(2);
    const blocked = result.facts['trace_syscalls'] as unknown as { cgo_sites: CgoSite[] };
    expect(blocked.cgo_sites.map((s) => s.c_function).sort()).toEqual(['c_sleep_ms', 'c_spin_ms']);
  }, 300_000);

  it('capture --profile without Go here: the trace is kept, its reading is not available, and it replays where Go is', async () => {
    const bundle = join(tempDir(), 'bundle');
    const noGo = await runCli(['capture', '--pid', String(service.pid), '--pprof', service.url, '--interval', '500ms', '--count', '2', '--profile', '--out', bundle], {
      env: { PATH: '/nonexistent' },
      timeout: 300_000,
    });
    expect(noGo.exitCode, noGo.stderr).toBe(0);
    // Snapshot 1 took the profile and the trace; only what Go reads out of the trace is lacking.
    expect(noGo.stderr).toMatch(/snapshot 1: [^\n]*, cpu_profile, exec_trace · \d+ files\n/);
    expect(noGo.stderr).toMatch(/warning: not captured: trace_syscalls: go tool trace -pprof=syscall is not available here/);
    expect(noGo.stderr).toContain("trace_stw: go tool trace -d is not available here (program 'go' not found on PATH): install Go, or open the bundle's trace.out where Go is installed");
    expect(existsSync(join(bundle, 'snapshots', '1', 'trace.out'))).toBe(true);
    expect(existsSync(join(bundle, 'snapshots', '0', 'trace.out'))).toBe(false);
    const replayed = await collectSnapshot({ collect: profileWindowCollectors, bundle: { dir: bundle, index: 1 }, outDir: tempDir() });
    expect(replayed.facts['missing']).toEqual({});
    expect((replayed.facts['trace_stw'] as { stw_count: number }).stw_count).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
