// A query step replaying a bundle reads the answer recorded with it (DIR/queries/<step>.json)
// and asks no Prometheus: the incident's history, not today's. Without one it is skipped
// with the path it looked for.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finished, fixture, journalOf, startSession, tempStateDir } from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => {
  state = tempStateDir();
});
afterEach(() => state.remove());

describe('query steps replaying a bundle', () => {
  it('read the recorded answer, and skip a query the bundle holds no answer for', async () => {
    const bundle = fixture('query-bundle');
    // An unreachable Prometheus: a replay must not ask it.
    const { session } = await startSession(state.dir, fixture('query-replay.yaml'), { options: { bundle }, vars: { prometheus: 'http://127.0.0.1:9' } });
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome.conclusion?.text).toBe('RSS steady_growth since 2026-12-07T10:56:25Z after 1 restart; heap skipped');
    const records = await journalOf(session);
    const rss = finished(records, 'rss')[0]!;
    expect(rss.facts).toMatchObject({ trend: 'steady_growth', resets: 1, series_count: 1 });
    expect(finished(records, 'heap')[0]).toMatchObject({ status: 'skipped', reason: expect.stringContaining(`${bundle}/queries/heap.json`) });
  });
});
