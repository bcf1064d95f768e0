import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { finished, fixture, journalOf, startSession, tempStateDir } from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => {
  state = tempStateDir();
});
afterEach(() => state.remove());

describe('snapshot steps replaying a bundle', () => {
  it('reads snapshots 0 and 1 in order, skips live steps with a reason, and exposes evidence paths', async () => {
    const bundle = fixture('bundle-leaky');
    const { session } = await startSession(state.dir, fixture('snapshot.yaml'), { options: { bundle } });
    const outcome = await session.runToEnd();
    session.close();
    // leaky_before VmRSS 8552 kB, leaky_after 111492 kB (the shared proc fixtures).
    expect(outcome.conclusion?.text).toBe('RSS grew 102940 kB; 11 threads');
    const records = await journalOf(session);
    expect(records[0]).toMatchObject({ type: 'session.started', bundle, target: 'bundle', inputs: {} });
    expect(finished(records, 'live_probe')[0]).toMatchObject({ status: 'skipped', reason: expect.stringContaining('needs a live process') });
    const after = finished(records, 'after')[0]!;
    expect(after.facts).toMatchObject({ taken_at: '2026-11-20T10:05:00Z', status: { vm_rss_kb: 111492 } });
    expect(existsSync(join(session.paths.dir, after.artifacts!.status!))).toBe(true);
    expect(after.artifacts!.status!.startsWith('artifacts/after-1.snapshot/')).toBe(true);
  });

  it('a re-run snapshot step reads its own bundle snapshot again, and the next step still reads the next one', async () => {
    const bundle = fixture('bundle-leaky');
    const { session } = await startSession(state.dir, fixture('snapshot.yaml'), { options: { bundle } });
    const first = await session.runCurrent();
    expect(first).toMatchObject({ step: 'before', status: 'passed', facts: { status: { vm_rss_kb: 8552 } } });
    // `r` on the first snapshot, twice: the same snapshot 0, not the bundle's second and third.
    for (const attempt of [2, 3]) {
      const again = await session.rerun('before');
      expect(again).toMatchObject({ step: 'before', attempt, status: 'passed', facts: { status: { vm_rss_kb: 8552 } } });
    }
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome.conclusion?.text).toBe('RSS grew 102940 kB; 11 threads');
  });
});
