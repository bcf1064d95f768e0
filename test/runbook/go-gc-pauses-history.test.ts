// go-gc-pauses' history sentence on generated Prometheus answers: the gc-stw-pauses example
// bundle with DIR/queries/<step>.json added (replay reads them instead of asking), replayed
// through the real binary. go_gc_duration_seconds' quantiles over 6 h at a 90 s step, shaped
// as each mechanism makes them: pauses that became long (a tight loop deployed), that were
// long throughout, that stopped being long (the loop fixed), and one rare stall.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { PLACEHOLDER } from '../helpers/placeholders.js';


/** One series of `name` (seconds) with `value(t)` every 90 s over 6 h. */
function answer(name: string, quantile: string | undefined, value: (t: number) => number): string {
  const end = 1_796_000_000;
  const values = Array.from({ length: 241 }, (_, i) => [end - 6 * 3600 + i * 90, String(value(i * 90))]);
  const metric = { __name__: name, instance: '10.0.0.3:6060', job: 'payments', ...(quantile !== undefined ? { quantile } : {}) };
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric, values }] } });
}

async function pauseHistory(p75: (t: number) => number, longest: (t: number) => number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-pause-history-'));
  try {
    const bundle = join(dir, 'bundle');
    cpSync(join(repoRoot, 'examples/gc-stw-pauses'), bundle, { recursive: true });
    mkdirSync(join(bundle, 'queries'));
    // Prometheus 3 stores quantile 1 as "1.0": the runbook's matcher takes both.
    writeFileSync(join(bundle, 'queries/history_pause_max.json'), answer('go_gc_duration_seconds', '1.0', longest));
    writeFileSync(join(bundle, 'queries/history_pause_p75.json'), answer('go_gc_duration_seconds', '0.75', p75));
    writeFileSync(join(bundle, 'queries/history_pause_mean.json'), answer('', undefined, (t) => p75(t) * 0.8));
    const result = await runCli(['run', 'go-gc-pauses', '--bundle', bundle, '--non-interactive', '--json'], { env: { RUNBOOK_STATE_DIR: join(dir, 'state'), CI: 'true' } });
    const concluded = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; text?: string })
      .find((e) => e.type === 'session.concluded');
    expect(concluded, result.stderr).toBeDefined();
    const text = concluded!.text ?? '';
    expect(text).not.toMatch(PLACEHOLDER);
    return text.slice(text.indexOf('GC pause history ('));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (n: number) => n / 1000;
const hours = (h: number) => h * 3600;

describe('go-gc-pauses history on generated answers', () => {
  it.each([
    [2, 40],
    [4.5, 120],
  ])('pauses long since %s h ago (p75 %i ms): they started within the window', async (since, long) => {
    const history = await pauseHistory((t) => (t >= hours(6 - since) ? ms(long) : ms(0.3)), (t) => (t >= hours(6 - since) ? ms(long * 2) : ms(1.5)));
    expect(history).toMatch(new RegExp(`the long pauses started within the window: typical pauses were short at its start and are long now \\(p75 0\\.3 ms at the window's start \\(\\S+\\), ${long} ms now`));
  });

  it.each([15, 60])('p75 of %i ms from the first sample on: long throughout', async (long) => {
    const history = await pauseHistory(() => ms(long), () => ms(long * 3));
    expect(history).toContain('pauses were this long throughout the window');
  });

  it.each([
    [1, 50],
    [3, 200],
  ])('long pauses fixed %s h ago (p75 was %i ms): they stopped within the window, and nothing says they stayed short', async (ago, long) => {
    const history = await pauseHistory((t) => (t < hours(6 - ago) ? ms(long) : ms(0.2)), (t) => (t < hours(6 - ago) ? ms(long * 2) : ms(2)));
    expect(history).toMatch(new RegExp(`the long pauses stopped within the window: typical pauses were long at its start and are short now \\(p75 ${long} ms at the window's start`));
    expect(history).not.toContain('stayed short');
  });

  it('one stall while every cycle stayed short: a rare pause', async () => {
    const history = await pauseHistory(() => ms(0.25), (t) => (t >= hours(2) ? ms(180) : ms(1.2)));
    expect(history).toMatch(/typical pauses stayed short throughout; only the longest reached 180 ms within the window, a rare pause rather than every cycle/);
  });
});
