import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished, fixture, journalOf, startSession, tempStateDir } from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
let bundles: string;
beforeEach(() => {
  state = tempStateDir();
  bundles = mkdtempSync(join(tmpdir(), 'runbook-series-bundle-'));
});
afterEach(() => {
  state.remove();
  rmSync(bundles, { recursive: true, force: true });
});

/** A bundle whose snapshots hold /proc status with these RssAnon values (KiB), `gapsS` apart. */
function bundle(rssAnonKb: number[], gapsS: number[]): string {
  const dir = join(bundles, `b${rssAnonKb.join('-')}`);
  let t = Date.parse('2026-12-01T10:00:00Z');
  rssAnonKb.forEach((kb, index) => {
    const snapshot = join(dir, 'snapshots', String(index));
    mkdirSync(snapshot, { recursive: true });
    writeFileSync(join(snapshot, 'status'), `Name:\tleaky\nPid:\t4242\nVmRSS:\t${kb + 4000} kB\nRssAnon:\t${kb} kB\nThreads:\t8\n`);
    writeFileSync(join(snapshot, 'taken_at'), `${new Date(t).toISOString()}\n`);
    t += (gapsS[index] ?? 0) * 1000;
  });
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ pid: 4242, cmdline: ['leaky'], host: 'h', captured_at: '2026-12-01T10:00:00Z' }));
  return dir;
}

const mib = 1024;

describe('snapshot series', () => {
  it('replayed, the series step reads its two bundle snapshots and the next step the one after them', async () => {
    // +30 MiB in 30 s, then +2 MiB in 30 s: a plateau; the last step reads snapshot 3.
    const dir = bundle([100 * mib, 130 * mib, 132 * mib, 500 * mib], [30, 30, 60]);
    const { session } = await startSession(state.dir, fixture('snapshot-series.yaml'), { options: { bundle: dir } });
    const outcome = await session.runToEnd();
    session.close();
    const records = await journalOf(session);
    const series = finished(records, 'series')[0]!;
    expect(series.facts).toMatchObject({
      interval_s: 60,
      status_diff: { rss_anon_kb_delta: 32 * mib },
      series: { count: 3, asked: 3, status: { legs_mb: [30, 2], leg_seconds: [30, 30], growth_mb: 32, mib_per_min: 32, trend: 'plateau' } },
    });
    expect(Object.keys(series.artifacts!).filter((name) => name.startsWith('snapshot:'))).toEqual(['snapshot:0', 'snapshot:1']);
    expect(finished(records, 'last')[0]!.facts).toMatchObject({ status: { rss_anon_kb: 500 * mib }, status_diff: { rss_anon_kb_delta: 368 * mib } });
    expect(outcome.conclusion?.text).toBe('32 MiB/min');
  });

  it('a bundle with fewer snapshots than the series asks gives what it holds and says so', async () => {
    const dir = bundle([100 * mib, 160 * mib], [20]);
    const { session } = await startSession(state.dir, fixture('snapshot-series.yaml'), { options: { bundle: dir }, vars: { snapshots: '4' } });
    await session.runToEnd();
    session.close();
    const series = finished(await journalOf(session), 'series')[0]!;
    expect(series.status).toBe('passed');
    expect(series.facts).toMatchObject({
      series: { count: 2, asked: 4, missing: 'the bundle holds 2 snapshots for this series, the step asks 4 (runbook capture --count 4 takes enough)', status: { mib_per_min: 180 } },
    });
    expect(series.facts!['series']).not.toHaveProperty('status.trend');
  });

  it('a count that is not a whole number of at least 2 fails the step, naming the field', async () => {
    const dir = bundle([100 * mib, 160 * mib, 170 * mib], [20, 20]);
    const { session } = await startSession(state.dir, fixture('snapshot-series.yaml'), { options: { bundle: dir }, vars: { snapshots: '2.5' } });
    await session.runToEnd();
    session.close();
    expect(finished(await journalOf(session), 'series')[0]).toMatchObject({ status: 'failed', reason: 'series.count: 2.5 must be a whole number from 2 to 1000' });
  });

  it('live, the series takes its snapshots `every` apart from the real process', async () => {
    const { session, events } = await startSession(state.dir, fixture('snapshot-series.yaml'), { vars: { pid: String(process.pid), every: '1200ms' } });
    await session.runToEnd();
    session.close();
    const series = finished(await journalOf(session), 'series')[0]!;
    const facts = series.facts as { series: { count: number; status: { leg_seconds: number[] } } };
    expect(facts.series.count).toBe(3);
    // The second leg is the series' own wait: at least `every`.
    expect(facts.series.status.leg_seconds[1]).toBeGreaterThanOrEqual(1.2);
    expect(events.some((e) => e.type === 'step.progress' && e.step === 'series')).toBe(true);
  });
});
