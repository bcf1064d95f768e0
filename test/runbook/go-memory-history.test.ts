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

const MiB = 1048576;
const fixture = (name: string): string => readFileSync(join(repoRoot, 'test/fixtures/prometheus', name), 'utf8');
const placeholder = /\b(unknown|undefined|NaN|null|true|false)\b|-1\b/;

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
  const dir = mkdtempSync(join(tmpdir(), 'runbook-memory-history-'));
  try {
    const bundle = join(dir, 'bundle');
    cpSync(join(repoRoot, 'examples/c-heap-leak'), bundle, { recursive: true });
    mkdirSync(join(bundle, 'queries'));
    const rssAnswer = fixture(rss);
    writeFileSync(join(bundle, 'queries/history_rss.json'), rssAnswer);
    writeFileSync(join(bundle, 'queries/history_starts.json'), fixture(starts));
    writeFileSync(join(bundle, 'queries/history_heap.json'), flatLike(rssAnswer, 'go_memstats_heap_inuse_bytes', (i) => 4 * MiB + (i % 3) * 65536));
    writeFileSync(join(bundle, 'queries/history_goroutines.json'), flatLike(rssAnswer, 'go_goroutines', (i) => 6 + (i % 2)));
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
      /History \(Prometheus, instance 127\.0\.0\.1:39411, last \d+ s\): RSS has grown ([\d.]+) MiB\/h steadily \(R² [\d.]+\) for the last \d+ s; the process restarted 1 time, the last \d+ s ago, and the restart reset RSS \(its troughs are start-up memory, not a leak floor\); heap in use stayed flat at about 4(?:\.\d)? MiB while RSS grew: the growth is outside the Go heap; goroutines steady at [67]\./.exec(
        run.text,
      );
    expect(quoted, run.text).not.toBeNull();
    // leaky c-heap at rate 0.2 leaks 2 MiB/s: 7200 MiB/h.
    expect(Number(quoted![1])).toBeGreaterThan(7200 * 0.8);
    expect(Number(quoted![1])).toBeLessThan(7200 * 1.2);
    expect(run.text).not.toMatch(placeholder);
  });

  it('restarts every 8 s: RSS climbs back between the falls, each a restart', async () => {
    const run = await replay('c-heap-0.2-restarts.rss.json', 'c-heap-0.2-restarts.start-time.json', ['instance=10.0.0.3:6060']);
    const quoted = /History \(Prometheus, instance 10\.0\.0\.3:6060, last \d+ s\): RSS fell 3 times and climbed back at ([\d.]+) MiB\/h between the falls; the process restarted 3 times, the last \d+ s ago, and each restart reset RSS/.exec(run.text);
    expect(quoted, run.text).not.toBeNull();
    expect(Number(quoted![1])).toBeGreaterThan(7200 * 0.8);
    expect(run.text).not.toMatch(placeholder);
  });
});
