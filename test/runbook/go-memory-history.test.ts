// go-memory's history sentence on recorded Prometheus answers: the c-heap-leak example bundle
// with DIR/queries/<step>.json added (replay reads them instead of asking), replayed through
// the real binary. The RSS and start-time answers were recorded from a real Prometheus
// scraping leaky c-heap at rate 0.2 restarted once, and restarted every 8 s
// (test/fixtures/prometheus/SOURCE.txt); heap in use and goroutines are generated flat over
// the same timestamps (c-heap leaks outside the Go heap). The restart branches: the climb since
// the restart is the leak's rate, and the restarts are said to reset RSS.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { PLACEHOLDER } from '../helpers/placeholders.js';

const MiB = 1048576;
const fixture = (name: string): string => readFileSync(join(repoRoot, 'test/fixtures/prometheus', name), 'utf8');

interface Answer {
  data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
}

/** The same timestamps as a recorded answer, with a generated value: a flat series of `name`. */
function flatLike(recorded: string, name: string, value: (i: number) => number): string {
  const answer = JSON.parse(recorded) as Answer;
  const series = answer.data.result[0]!;
  return JSON.stringify({
    status: 'success',
    data: { resultType: 'matrix', result: [{ metric: { ...series.metric, __name__: name }, values: series.values.map(([t], i) => [t, String(value(i))]) }] },
  });
}

async function replay(rss: string, starts: string, vars: string[] = []): Promise<{ conclusion: string | undefined; text: string }> {
  const rssAnswer = fixture(rss);
  return replayAnswers(
    {
      history_rss: rssAnswer,
      history_starts: fixture(starts),
      history_heap: flatLike(rssAnswer, 'go_memstats_heap_inuse_bytes', (i) => 4 * MiB + (i % 3) * 65536),
      history_goroutines: flatLike(rssAnswer, 'go_goroutines', (i) => 6 + (i % 2)),
    },
    vars,
  );
}

/** A range answer of one series: `value(t)` every 90 s over 6 h (what a 6h history asks). */
function generated(name: string, value: (seconds: number) => number): string {
  const end = 1_796_000_000;
  const values = Array.from({ length: 241 }, (_, i) => [end - 6 * 3600 + i * 90, String(value(i * 90))]);
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: name, instance: '10.0.0.3:6060', job: 'payments' }, values }] } });
}

async function replayAnswers(answers: Record<string, string>, vars: string[] = []): Promise<{ conclusion: string | undefined; text: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-memory-history-'));
  try {
    const bundle = join(dir, 'bundle');
    cpSync(join(repoRoot, 'examples/c-heap-leak'), bundle, { recursive: true });
    mkdirSync(join(bundle, 'queries'));
    for (const [step, answer] of Object.entries(answers)) writeFileSync(join(bundle, `queries/${step}.json`), answer);
    const result = await runCli(['run', 'go-memory', '--bundle', bundle, '--non-interactive', '--json', ...vars.flatMap((v) => ['--var', v])], { env: { RUNBOOK_STATE_DIR: join(dir, 'state'), CI: 'true' } });
    const events = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; finding?: string; text?: string });
    const concluded = events.find((e) => e.type === 'session.concluded');
    return { conclusion: concluded?.finding, text: concluded?.text ?? '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('go-memory history on recorded answers', () => {
  it('one restart: RSS grows at the leak rate since the restart, which reset it', async () => {
    const run = await replay('c-heap-0.2-one-restart.rss.json', 'c-heap-0.2-one-restart.start-time.json');
    expect(run.conclusion).toBe('c-heap-growth');
    const quoted =
      /History \(Prometheus, instance 127\.0\.0\.1:39411, last \d+ s\): RSS has grown ([\d.]+) MiB\/h steadily \(R² [\d.]+\) for the last \d+ s; the process restarted 1 time, the last \d+ s ago, and the restart reset RSS \(its troughs are start-up memory, not a leak floor\); heap in use did not grow by more than 8 MiB \(\u2212?[\d.]+ MiB\/h, at about 4(?:\.\d)? MiB now\) while RSS grew: the growth is outside the Go heap; goroutines steady at [67]\./.exec(
        run.text,
      );
    expect(quoted, run.text).not.toBeNull();
    // leaky c-heap at rate 0.2 leaks 2 MiB/s: 7200 MiB/h.
    expect(Number(quoted![1])).toBeGreaterThan(7200 * 0.8);
    expect(Number(quoted![1])).toBeLessThan(7200 * 1.2);
    expect(run.text).not.toMatch(PLACEHOLDER);
  });

  it('restarts every 8 s: RSS climbs back between the falls, each a restart', async () => {
    const run = await replay('c-heap-0.2-restarts.rss.json', 'c-heap-0.2-restarts.start-time.json', ['instance=10.0.0.3:6060']);
    const quoted = /History \(Prometheus, instance 10\.0\.0\.3:6060, last \d+ s\): RSS fell 3 times and climbed back at ([\d.]+) MiB\/h between the falls; the process restarted 3 times, the last \d+ s ago, and each restart reset RSS/.exec(run.text);
    expect(quoted, run.text).not.toBeNull();
    expect(Number(quoted![1])).toBeGreaterThan(7200 * 0.8);
    expect(run.text).not.toMatch(PLACEHOLDER);
  });

  // Generated 6 h answers at a 90 s step, each following the mechanics it names.
  const minutes = (m: number) => m * 60;
  const sinceRestart = (every: number) => (t: number) => t % minutes(every);
  const startTime = (every: number) => (t: number) => 1_795_978_400 + Math.floor(t / minutes(every)) * minutes(every) + (t % 2);

  it.each([10, 30, 60, 80])('restarts every %i min are all counted, however many', async (every) => {
    // A restart at every multiple of `every` after the window's first sample, its last included.
    const restarts = Math.floor((6 * 60) / every);
    const run = await replayAnswers({
      history_rss: generated('process_resident_memory_bytes', (t) => 200 * MiB + sinceRestart(every)(t) * 20 * 1024),
      history_starts: generated('process_start_time_seconds', startTime(every)),
      history_heap: generated('go_memstats_heap_inuse_bytes', (t) => 150 * MiB + sinceRestart(every)(t) * 18 * 1024),
      history_goroutines: generated('go_goroutines', () => 40),
    });
    const history = run.text.slice(run.text.indexOf('History ('));
    expect(history, history).toMatch(new RegExp(`the process restarted ${restarts} times`));
    // The heap climbs with RSS between the restarts: a Go heap leak, not memory outside it.
    expect(history).toMatch(/heap in use grew [\d.]+ MiB\/h with it/);
    expect(history).not.toContain('outside the Go heap');
    expect(run.text).not.toMatch(PLACEHOLDER);
  });

  it.each([
    [60, 6],
    [120, 20],
    [30, 5],
  ])('RSS growing %i MiB/h with the heap growing %i MiB/h, past the floor but under a quarter of that: most of the growth is outside the Go heap', async (rssPerHour, heapPerHour) => {
    const run = await replayAnswers({
      history_rss: generated('process_resident_memory_bytes', (t) => 200 * MiB + (t / 3600) * rssPerHour * MiB),
      history_starts: generated('process_start_time_seconds', () => 1_795_900_000),
      history_heap: generated('go_memstats_heap_inuse_bytes', (t) => 150 * MiB + (t / 3600) * heapPerHour * MiB),
      history_goroutines: generated('go_goroutines', () => 40),
    });
    const history = run.text.slice(run.text.indexOf('History ('));
    const quoted = /heap in use grew only ([\d.]+) MiB\/h, under a quarter of the RSS rate \(150 → ([\d.]+) MiB\): most of the growth is outside the Go heap/.exec(history);
    expect(quoted, history).not.toBeNull();
    expect(Number(quoted![1])).toBeCloseTo(heapPerHour, 0);
    expect(Number(quoted![2])).toBeCloseTo(150 + 6 * heapPerHour, 0);
    // Never "did not grow" for a heap that grew past the floor.
    expect(history).not.toContain('heap in use did not grow');
    expect(run.text).not.toMatch(PLACEHOLDER);
  });

  it.each([5, 10])('a healthy service whose RSS rises and falls by %i MiB around a level reads as not growing', async (swing) => {
    const run = await replayAnswers({
      history_rss: generated('process_resident_memory_bytes', (t) => 230 * MiB + (t % 1800 < 900 ? (t % 900) / 900 : 0) * swing * MiB * 3),
      history_starts: generated('process_start_time_seconds', () => 1_795_900_000),
      history_heap: generated('go_memstats_heap_inuse_bytes', (t) => 150 * MiB + (t % 600) * 30 * 1024),
      history_goroutines: generated('go_goroutines', (t) => 40 + (t % 7)),
    });
    const history = run.text.slice(run.text.indexOf('History ('));
    expect(history).toContain('no restart in that window');
    expect(history).not.toMatch(/RSS has grown|outside the Go heap|heap in use grew/);
    // Figures in MiB, not the classifier's raw bytes (3.50e+7).
    expect(history, history).toMatch(/RSS (?:stayed flat at [\d.]+ MiB|did not grow by more than 8 MiB \(it moved between [\d.]+ and [\d.]+ MiB; \u2212?[\d.]+ MiB\/h(?: at its troughs)?\))/);
    expect(history).not.toMatch(/\de[+-]\d/);
    expect(run.text).not.toMatch(PLACEHOLDER);
  });

  it('a Prometheus that does not answer leaves the history out and says so; the diagnosis goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-memory-history-'));
    try {
      const result = await runCli(
        ['run', 'go-memory', '--non-interactive', '--json', '--var', `pid=${process.pid}`, '--var', 'interval=500ms', '--var', 'prometheus=http://127.0.0.1:1', '--var', 'instance=10.0.0.3:6060'],
        { env: { RUNBOOK_STATE_DIR: join(dir, 'state'), CI: 'true' } },
      );
      const events = result.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { type: string; step?: string; status?: string; text?: string });
      expect(events.filter((e) => e.type === 'step.finished' && e.step?.startsWith('history_') && e.step !== 'history_setup').map((e) => e.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
      const concluded = events.find((e) => e.type === 'session.concluded');
      expect(concluded, result.stderr).toBeDefined();
      expect(concluded!.text).toMatch(/History: Prometheus did not answer \(.*127\.0\.0\.1:1.*\); the diagnosis above is from the snapshots alone\./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
