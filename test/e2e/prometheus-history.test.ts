// The runbooks' history steps against a real Prometheus (Debian's /usr/bin/prometheus on
// loopback) scraping the real Go test service every second: go-memory runs through the built
// binary on the live process with --var prometheus=… --var instance=…, and its conclusion must
// quote what the history showed: a leak at two rates grows at about its rate, outside the Go
// heap (c-heap mode leaks C memory); the healthy service stays flat. Without a Prometheus, or
// without instance, the history steps are skipped with the reason and the runbook concludes
// as before. The window is short (the `history` input) and every wait is on scrape counts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { goServiceSkipReason, startGoService, type GoService } from '../helpers/go-service.js';
import { prometheusSkipReason, startPrometheus, type Prometheus } from '../helpers/prometheus.js';

/** leaky c-heap leaks 1 MiB of touched malloc memory per 100 ms at rate 1. */
const C_HEAP_MIB_PER_S = 10;
/** Samples (one a second) every job has before the runbook reads its history. */
const SAMPLES = 25;
const HISTORY = '25s';

interface Run {
  conclusion: string | undefined;
  text: string;
  /** Step id → how it finished, and why when skipped. */
  steps: Record<string, { status: string; reason?: string }>;
  output: string;
}

describe.skipIf(goServiceSkipReason !== undefined || prometheusSkipReason !== undefined)('go-memory reads the service history from a real Prometheus', () => {
  const services: Record<string, GoService> = {};
  const rates: Record<string, number> = { 'leak-slow': 0.1, 'leak-fast': 0.3 };
  let prometheus: Prometheus | undefined;
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-history-'));
    const started = await Promise.all([
      startGoService('c-heap', { rate: rates['leak-slow'], gctrace: false }),
      startGoService('c-heap', { rate: rates['leak-fast'], gctrace: false }),
      startGoService('healthy', { gctrace: false }),
    ]);
    [services['leak-slow'], services['leak-fast'], services['healthy']] = started;
    prometheus = await startPrometheus(Object.entries(services).map(([job, service]) => ({ job, target: instanceOf(service) })));
    await prometheus.waitFor(
      'count_over_time(process_resident_memory_bytes[5m])',
      (counts) => Object.keys(services).every((job) => (counts[job] ?? 0) >= SAMPLES),
      `${SAMPLES} RSS samples of every job`,
    );
  });

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(Object.values(services).map((service) => service.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function instanceOf(service: GoService): string {
    return new URL(service.url).host;
  }

  async function goMemory(service: GoService, vars: Record<string, string>): Promise<Run> {
    const args = ['run', 'go-memory', '--non-interactive', '--json', '--var', `pid=${service.pid}`, '--var', `pprof=${service.url}`, '--var', 'interval=10s'];
    for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}=${value}`);
    const result = await runCli(args, { env: { RUNBOOK_STATE_DIR: join(dir, 'state'), RUNBOOK_CONFIG_DIR: join(dir, 'config'), CI: 'true' }, timeout: 120_000 });
    const events = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; step?: string; status?: string; reason?: string; finding?: string; text?: string });
    const concluded = events.find((e) => e.type === 'session.concluded');
    const steps: Run['steps'] = {};
    for (const e of events) if (e.type === 'step.finished') steps[e.step!] = { status: e.status!, ...(e.reason !== undefined ? { reason: e.reason } : {}) };
    return { conclusion: concluded?.finding, text: concluded?.text ?? '', steps, output: result.stdout + result.stderr };
  }

  for (const job of ['leak-slow', 'leak-fast']) {
    it(`${job}: the conclusion quotes RSS growing steadily at about the leak's rate, outside the Go heap`, async () => {
      const service = services[job]!;
      const run = await goMemory(service, { prometheus: prometheus!.url, instance: instanceOf(service), history_range: HISTORY });
      expect(run.conclusion, run.output).toBe('c-heap-growth');
      for (const step of ['history_rss', 'history_heap', 'history_goroutines', 'history_starts']) expect(run.steps[step]?.status, step).toBe('passed');
      const quoted = /History \(Prometheus, instance ([^,]+), last (\d+) s\): RSS has grown ([\d.]+) MiB\/h steadily \(R² ([\d.]+)\) for the last \d+ s; no restart in that window; heap in use stayed flat at about [\d.]+ MiB while RSS grew: the growth is outside the Go heap; goroutines steady at \d+\./.exec(run.text);
      expect(quoted, run.text).not.toBeNull();
      expect(quoted![1]).toBe(instanceOf(service));
      const expected = rates[job]! * C_HEAP_MIB_PER_S * 3600;
      // RSS gains the leak plus the allocator's pages; a loaded machine stretches the leak's ticks.
      expect(Number(quoted![3])).toBeGreaterThan(expected * 0.5);
      expect(Number(quoted![3])).toBeLessThan(expected * 1.5);
    });
  }

  it('healthy: the history says RSS stayed flat', async () => {
    const service = services['healthy']!;
    const run = await goMemory(service, { prometheus: prometheus!.url, instance: instanceOf(service), history_range: HISTORY });
    expect(run.conclusion, run.output).toBe('no-growth');
    expect(run.text).toMatch(/History \(Prometheus, instance [^,]+, last \d+ s\): RSS stayed flat at [\d.]+ MiB \(within 8 MiB\); no restart in that window; heap in use flat at [\d.]+ MiB; goroutines steady at \d+\./);
  });

  it('without instance, or without a Prometheus, the history steps are skipped with the reason and the runbook concludes as before', async () => {
    const service = services['healthy']!;
    const noInstance = await goMemory(service, { prometheus: prometheus!.url });
    const noPrometheus = await goMemory(service, { instance: instanceOf(service) });
    for (const run of [noInstance, noPrometheus]) {
      expect(run.conclusion, run.output).toBe('no-growth');
      expect(run.text).not.toMatch(/History|undefined|null|NaN/);
    }
    expect(noInstance.steps['history_rss']).toEqual({ status: 'skipped', reason: expect.stringMatching(/needs the input instance \(The Prometheus instance label .*\), which was not given: pass --var instance=<string>/) });
    expect(noPrometheus.steps['history_rss']).toEqual({ status: 'skipped', reason: expect.stringMatching(/no Prometheus to ask: give its URL \(--var prometheus=/) });
  });
});
