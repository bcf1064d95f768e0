// go-gc-pauses on a long pause, host vs service: the healthy example bundle with a real
// gctrace log of one long pause (or of a non-preemptible loop) and real host_cpu evidence
// of this machine (loaded; cgroup-throttled), replayed through the real binary. A loaded
// host must not hide a goroutine that holds off every stop-the-world, and a host short of
// CPU must be named, with its figures, for a pause the service did not cause.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { PLACEHOLDER } from '../helpers/placeholders.js';

const gctraceFixture = (name: string): string => readFileSync(join(repoRoot, 'test/fixtures/gctrace', name), 'utf8');
const hostFixture = (name: string): string => join(repoRoot, 'test/fixtures/proc/local/host_cpu', name);

interface Outcome {
  conclusion: string | undefined;
  text: string;
  path: string[];
}

/** examples/healthy with its gctrace log replaced and, optionally, host_cpu in the snapshot. */
async function replay(gctrace: string, hostCpu?: string): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-gc-causes-'));
  try {
    const bundle = join(dir, 'bundle');
    cpSync(join(repoRoot, 'examples/healthy'), bundle, { recursive: true });
    writeFileSync(join(bundle, 'gctrace.log'), gctrace);
    if (hostCpu) cpSync(hostCpu, join(bundle, 'snapshots/0/host_cpu'));
    const result = await runCli(['run', 'go-gc-pauses', '--bundle', bundle, '--non-interactive', '--json'], { env: { RUNBOOK_STATE_DIR: join(dir, 'state'), CI: 'true' } });
    const events = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; step?: string; finding?: string; text?: string });
    const concluded = events.find((e) => e.type === 'session.concluded');
    return { conclusion: concluded?.finding, text: concluded?.text ?? '', path: events.filter((e) => e.type === 'step.finished').map((e) => e.step!) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The pause history steps come first, skipped in a replay without recorded queries. */
const spikePath = (cause: string): string[] => ['history_setup', 'history_pause_max', 'history_pause_p75', 'history_pause_mean', 'history', 'evidence', 'settings', 'from_trace', 'classify', 'offer_window', 'window_read', 'cgo_calls_absent', 'cgo_note', 'stw_cause', cause];

/** gctrace lines with gc N's mark termination set to `ms` (its clock's third term). */
function withMarkTermination(log: string, gc: number, ms: number): string {
  return log.replace(new RegExp(`^(gc ${gc} @\\S+ \\S+ [\\d.]+\\+[\\d.]+\\+)[\\d.]+( ms clock)`, 'm'), `$1${ms}$2`);
}

describe('go-gc-pauses: one long pause, host or service', () => {
  it('one 2.14 s pause on a loaded host (6 runnable threads per CPU, CPUs 100 % busy) is a spike the host likelier caused', async () => {
    const run = await replay(gctraceFixture('local_go1.19.8_one_2s_pause_healthy.txt'), hostFixture('v1_unthrottled_loaded_host'));
    expect({ conclusion: run.conclusion, path: run.path }).toEqual({ conclusion: 'gc-stw-spike', path: spikePath('spike-host') });
    expect(run.text).toMatch(/The longest stop-the-world pause was 2140(\.\d+)? ms in sweep termination \(gc 40; /);
    expect(run.text).toContain('Only one phase stalls');
    expect(run.text).toMatch(/CPU steal 0 %, the cgroup throttled in 0 % of its CFS periods \(0 ms\),\s+6 runnable threads per CPU with the CPUs 100 % busy/);
    expect(run.text).not.toMatch(PLACEHOLDER);
  });

  it('the same pause in a cgroup throttled in 90 % of its periods names the throttling', async () => {
    const run = await replay(gctraceFixture('local_go1.19.8_one_2s_pause_healthy.txt'), hostFixture('v1_throttled_quota_0.2cpu'));
    expect({ conclusion: run.conclusion, path: run.path }).toEqual({ conclusion: 'gc-stw-spike', path: spikePath('spike-host') });
    expect(run.text).toMatch(/throttled in 90 % of its CFS periods \(189\.4 ms\)/);
  });

  it('without host evidence the same pause is a spike whose host side was not read, with the reason', async () => {
    const run = await replay(gctraceFixture('local_go1.19.8_one_2s_pause_healthy.txt'));
    expect({ conclusion: run.conclusion, path: run.path }).toEqual({ conclusion: 'gc-stw-spike', path: spikePath('spike-no-host-evidence') });
    expect(run.text).toMatch(/was not read \(not in the bundle: .*host_cpu\)/);
  });

  it('a loop that cannot be preempted (both phases long, p50 long) stays the cause on a loaded host', async () => {
    const run = await replay(gctraceFixture('local_go1.19.8_stw_spike_asyncpreemptoff.txt'), hostFixture('v1_unthrottled_loaded_host'));
    expect({ conclusion: run.conclusion, path: run.path }).toEqual({ conclusion: 'gc-stw-spike', path: spikePath('spike-safepoint') });
    expect(run.text).toContain('Both phases stall');
  });

  it('both phases long once each while the typical pause is short, on a loaded host: the host, saying both phases stalled', async () => {
    // The healthy log (0.03-0.06 ms phases) with gc 20's mark termination at 31 ms and
    // the 2.14 s sweep termination of gc 40: outliers, not a loop holding every pause.
    const log = withMarkTermination(gctraceFixture('local_go1.19.8_one_2s_pause_healthy.txt'), 20, 31);
    const run = await replay(log, hostFixture('v1_unthrottled_loaded_host'));
    expect({ conclusion: run.conclusion, path: run.path }).toEqual({ conclusion: 'gc-stw-spike', path: spikePath('spike-host') });
    expect(run.text).toMatch(/Both phases stalled at times \(sweep termination up to 2140 ms, mark termination up to 31 ms\) but the typical pause is short \(p50 0\.\d+ ms\)/);
    expect(run.text).not.toMatch(PLACEHOLDER);
  });
});
