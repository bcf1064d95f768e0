// The runbooks' history steps against a real Prometheus (Debian's /usr/bin/prometheus on
// loopback) scraping the real Go test service every second: go-memory runs through the built
// binary on the live process with --var prometheus=… --var instance=…, and its conclusion must
// quote what the history showed: a leak at two rates grows at about its rate, outside the Go
// heap (c-heap mode leaks C memory); the healthy service stays flat. Without a Prometheus, or
// without instance, the history steps are skipped with the reason and the runbook concludes
// as before. go-gc-pauses reads go_gc_duration_seconds the same way: a service whose pauses
// became long at a time (leaky preempt-loop under GODEBUG=asyncpreemptoff=1, switched on after
// some scrapes, at two loop lengths) must read as a jump at that time, the healthy one as
// always short. The window is short (the history_range input) and every wait is on scrape
// counts or on the scraped values, never a sleep.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { goServiceSkipReason, startGoService, type GoService } from '../helpers/go-service.js';
import { everyJobAtLeast, prometheusSkipReason, startScrapedServices, type Prometheus, type ScrapedServices } from '../helpers/prometheus.js';

/** leaky c-heap leaks 1 MiB of touched malloc memory per 100 ms at rate 1. */
const C_HEAP_MIB_PER_S = 10;
/** Samples (one a second) every job has before the runbook reads its history. */
const SAMPLES = 25;
const HISTORY = '25s';

function instanceOf(service: GoService): string {
  return new URL(service.url).host;
}

async function runRunbook(runbook: string, service: GoService, dir: string, vars: Record<string, string>): Promise<Run> {
  const args = ['run', runbook, '--non-interactive', '--json', '--var', `pid=${service.pid}`, '--var', `pprof=${service.url}`];
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}=${value}`);
  const result = await runCli(args, { env: { RUNBOOK_STATE_DIR: join(dir, 'state'), RUNBOOK_CONFIG_DIR: join(dir, 'config'), CI: 'true' }, timeout: 300_000 });
  const events = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; step?: string; status?: string; reason?: string; finding?: string; text?: string });
  const concluded = events.find((e) => e.type === 'session.concluded');
  const steps: Run['steps'] = {};
  for (const e of events) if (e.type === 'step.finished') steps[e.step!] = { status: e.status!, ...(e.reason !== undefined ? { reason: e.reason } : {}) };
  return { conclusion: concluded?.finding, text: concluded?.text ?? '', steps, output: result.stdout + result.stderr };
}

interface Run {
  conclusion: string | undefined;
  text: string;
  /** Step id → how it finished, and why when skipped. */
  steps: Record<string, { status: string; reason?: string }>;
  output: string;
}

describe.skipIf(goServiceSkipReason !== undefined || prometheusSkipReason !== undefined)('go-memory reads the service history from a real Prometheus', () => {
  const rates: Record<string, number> = { 'leak-slow': 0.1, 'leak-fast': 0.3 };
  let scraped: ScrapedServices | undefined;
  let services: Record<string, GoService> = {};
  let prometheus: Prometheus | undefined;
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-history-'));
    scraped = await startScrapedServices({
      'leak-slow': startGoService('c-heap', { rate: rates['leak-slow'], gctrace: false }),
      'leak-fast': startGoService('c-heap', { rate: rates['leak-fast'], gctrace: false }),
      healthy: startGoService('healthy', { gctrace: false }),
    });
    ({ services, prometheus } = scraped);
    await prometheus.waitFor('count_over_time(process_resident_memory_bytes[5m])', everyJobAtLeast(Object.keys(services), SAMPLES), `${SAMPLES} RSS samples of every job`);
  });

  afterAll(async () => {
    await scraped?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const goMemory = (service: GoService, vars: Record<string, string>): Promise<Run> => runRunbook('go-memory', service, dir, { interval: '10s', ...vars });

  for (const job of ['leak-slow', 'leak-fast']) {
    it(`${job}: the conclusion quotes RSS growing steadily at about the leak's rate, outside the Go heap`, async () => {
      const service = services[job]!;
      const run = await goMemory(service, { prometheus: prometheus!.url, instance: instanceOf(service), history_range: HISTORY });
      expect(run.conclusion, run.output).toBe('c-heap-growth');
      for (const step of ['history_rss', 'history_heap', 'history_goroutines', 'history_starts']) expect(run.steps[step]?.status, step).toBe('passed');
      const quoted = /History \(Prometheus, instance ([^,]+), last (\d+) s\): RSS has grown ([\d.]+) MiB\/h steadily \(R² ([\d.]+)\) for the last \d+ s; no restart in that window; heap in use did not grow by more than 8 MiB \(\u2212?[\d.]+ MiB\/h, at about [\d.]+ MiB now\) while RSS grew: the growth is outside the Go heap; goroutines steady at \d+\./.exec(run.text);
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
    expect(run.text).toMatch(/History \(Prometheus, instance [^,]+, last \d+ s\): RSS (?:stayed flat at [\d.]+ MiB \(within 8 MiB\)|did not grow by more than 8 MiB \(it moved between [\d.]+ and [\d.]+ MiB; \u2212?[\d.]+ MiB\/h(?: at its troughs)?\)); no restart in that window; heap in use (?:flat|without growth) at [\d.]+ MiB; goroutines steady at \d+\./);
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

describe.skipIf(goServiceSkipReason !== undefined || prometheusSkipReason !== undefined)('go-gc-pauses reads the GC pause history from a real Prometheus', () => {
  /** leaky preempt-loop runs loops of 40 ms × rate that a stop-the-world waits for. */
  const LOOP_MS = 40;
  const rates: Record<string, number> = { 'pauses-40ms': 1, 'pauses-80ms': 2 };
  /** Scrapes of a long p75 pauses-always has before its history (the last 10 s) is read. */
  const ALWAYS_LONG_SCRAPES = 15;
  let scraped: ScrapedServices | undefined;
  let services: Record<string, GoService> = {};
  let prometheus: Prometheus | undefined;
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-gc-history-'));
    // Started healthy, with asynchronous preemption off from the start (as a deploy would set it).
    const env = { GODEBUG: 'asyncpreemptoff=1' };
    scraped = await startScrapedServices({
      'pauses-40ms': startGoService('healthy', { gctrace: false, env }),
      'pauses-80ms': startGoService('healthy', { gctrace: false, env }),
      // Long pauses from its first cycle: loops of 60 ms.
      'pauses-always': startGoService('preempt-loop', { rate: 1.5, gctrace: false, env }),
      healthy: startGoService('healthy', { gctrace: false }),
    });
    ({ services, prometheus } = scraped);
    await prometheus.waitFor('count_over_time(go_gc_duration_seconds_count[5m])', everyJobAtLeast(Object.keys(services), SAMPLES), `${SAMPLES} GC summaries of every job`);
    // The long pauses start now. The quantiles are over the last 256 pauses: the p75 turns
    // long once a quarter of them are, which is what the runbook reads as every cycle long.
    await Promise.all(Object.entries(rates).map(([job, rate]) => services[job]!.setMode('preempt-loop', rate)));
    await prometheus.waitFor(
      'count_over_time((go_gc_duration_seconds{quantile="0.75"} > 0.015)[5m:1s])',
      (counts) => everyJobAtLeast(Object.keys(rates), 3)(counts) && (counts['pauses-always'] ?? 0) >= ALWAYS_LONG_SCRAPES,
      `a p75 pause over 15 ms in every preempt-loop job, 3 scrapes (${ALWAYS_LONG_SCRAPES} for pauses-always)`,
      150_000,
    );
  }, 300_000);

  afterAll(async () => {
    await scraped?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // The window reaches back before the first scrape: it holds the short pauses and the long.
  const gcPauses = (service: GoService): Promise<Run> => runRunbook('go-gc-pauses', service, dir, { prometheus: prometheus!.url, instance: instanceOf(service), history_range: '3m' });

  for (const job of Object.keys(rates)) {
    it(`${job}: the history says the long pauses started within the window, and how long they became`, async () => {
      const run = await gcPauses(services[job]!);
      for (const step of ['history_pause_max', 'history_pause_p75', 'history_pause_mean']) expect(run.steps[step]?.status, run.output.slice(-3000)).toBe('passed');
      const quoted = /GC pause history \(Prometheus, instance [^,]+, last [\d.]+ (?:s|min)\): the long pauses started within the window: typical pauses were short at its start and are long now \(p75 ([\d.]+) ms at the window's start \(\S+\), ([\d.]+) ms now; the longest [\d.]+ → ([\d.]+) ms\); mean pause [\d.]+–[\d.]+ ms \(5-minute means\) over the window, [\d.]+ ms in the last 5 minutes\./.exec(run.text);
      expect(quoted, run.text).not.toBeNull();
      // Before: a healthy service's pauses. After: the stop-the-world waits for the rest of a
      // loop, so the longest of hundreds of pauses nears the loop's length.
      expect(Number(quoted![1])).toBeLessThan(10);
      expect(Number(quoted![2])).toBeGreaterThanOrEqual(10);
      expect(Number(quoted![3])).toBeGreaterThan(LOOP_MS * rates[job]! * 0.5);
    });
  }

  it('pauses-always: the history says the pauses were this long throughout', async () => {
    const service = services['pauses-always']!;
    // The last 10 s: every scrape in it saw a p75 over 15 ms.
    const run = await runRunbook('go-gc-pauses', service, dir, { prometheus: prometheus!.url, instance: instanceOf(service), history_range: '10s' });
    const quoted = /GC pause history \(Prometheus, instance [^,]+, last [\d.]+ s\): pauses were this long throughout the window \(p75 ([\d.]+) ms at the window's start \(\S+\), ([\d.]+) ms now; the longest [\d.]+ → ([\d.]+) ms\)/.exec(run.text);
    expect(quoted, run.text).not.toBeNull();
    expect(Number(quoted![1])).toBeGreaterThanOrEqual(10);
    expect(Number(quoted![2])).toBeGreaterThanOrEqual(10);
    expect(Number(quoted![3])).toBeGreaterThan(LOOP_MS * 1.5 * 0.5);
  });

  it('healthy: the history says the typical pause was always short', async () => {
    const run = await gcPauses(services['healthy']!);
    // One host stall (2 shared CPUs) can make one long pause: the typical one stays short.
    const quoted = /GC pause history \(Prometheus, instance [^,]+, last [\d.]+ (?:s|min)\): (?:pauses stayed short throughout the window|typical pauses stayed short throughout; only the longest reached [\d.]+ ms (?:within the window|already at its start), a rare pause rather than every cycle) \(p75 ([\d.]+) ms at the window's start \(\S+\), ([\d.]+) ms now;/.exec(run.text);
    expect(quoted, run.text).not.toBeNull();
    expect(Number(quoted![1])).toBeLessThan(10);
    expect(Number(quoted![2])).toBeLessThan(10);
  });

  it('without a Prometheus the pause history is skipped with the reason, and the runbook concludes', async () => {
    const run = await runRunbook('go-gc-pauses', services['healthy']!, dir, { instance: instanceOf(services['healthy']!) });
    expect(run.conclusion, run.output.slice(-3000)).toBeDefined();
    expect(run.steps['history_pause_max']).toEqual({ status: 'skipped', reason: expect.stringMatching(/no Prometheus to ask/) });
    expect(run.text).not.toMatch(/GC pause history|undefined|null|NaN/);
  });
});
