// Graph links in the notes: one per query asked, over the incident's time range, every
// value URL-encoded so a query's braces, quotes and spaces survive the round trip.
import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/journal/records.js';
import { prometheusGraphs, rangeInput } from '../../src/notes/prometheus-graphs.js';

const finished = (step: string, meta: Record<string, unknown>, kind = 'query'): JournalRecord =>
  ({ v: 1, seq: 1, t: '2026-12-07T14:00:00.000Z', type: 'step.finished', step, kind, attempt: 1, status: 'passed', duration_ms: 5, meta }) as JournalRecord;

const promql = 'sum by (job) (rate(go_gc_duration_seconds_sum{job="a b",env=~"prod|stage"}[5m])) > 0.01 # & ?';
const range = (start: number) => `https://prom.example:9443/prometheus/api/v1/query_range?${new URLSearchParams({ query: promql, start: String(start), end: String(start + 3600), step: '15s' })}`;

describe('prometheusGraphs', () => {
  it('links BASE/graph with the query, from the earlier of the alert and the query window to the end', () => {
    const windowStart = Date.parse('2026-12-07T11:30:00Z') / 1000;
    const [graph, ...rest] = prometheusGraphs([finished('gc', { url: range(windowStart), promql })], '2026-12-07T13:00:00Z', '2026-12-07T14:00:30.000Z');
    expect(rest).toEqual([]);
    const url = new URL(graph!.url);
    expect(url.origin + url.pathname).toBe('https://prom.example:9443/prometheus/graph');
    expect(url.searchParams.get('g0.expr')).toBe(promql);
    expect(url.searchParams.get('g0.tab')).toBe('0');
    expect(url.searchParams.get('g0.range_input')).toBe('2h31m');
    expect(url.searchParams.get('g0.end_input')).toBe('2026-12-07 14:00:30');
    // Encoded for a decodeURIComponent reader too: no raw space, quote, brace or '+'.
    expect(graph!.url).not.toMatch(/[ "{}+]/);
    expect(decodeURIComponent(/g0\.expr=([^&]*)/.exec(graph!.url)![1]!)).toBe(promql);
  });

  it('an alert older than the window starts the range; an instant query has no window', () => {
    const instant = 'http://127.0.0.1:9090/api/v1/query?query=up';
    const graphs = prometheusGraphs([finished('up', { url: instant, promql: 'up' }), finished('up', { url: instant, promql: 'up' })], '2026-12-06T14:00:00Z', '2026-12-07T14:10:00Z');
    expect(graphs).toHaveLength(1);
    expect(new URL(graphs[0]!.url).searchParams.get('g0.range_input')).toBe('1d10m');
  });

  it('leaves out what is no query answer: other kinds, replays (no url), a url without /api/v1/', () => {
    const records = [finished('f', { url: 'http://x/api/v1/query?query=up', promql: 'up' }, 'fetch'), finished('q', { recorded: 'queries/q.json', promql: 'up' }), finished('q2', { url: 'http://x/other?query=up', promql: 'up' })];
    expect(prometheusGraphs(records, undefined, '2026-12-07T14:00:00Z')).toEqual([]);
  });
});

describe('rangeInput', () => {
  it.each([
    [1, '1m'],
    [59_000, '1m'],
    [61_000, '2m'],
    [3_600_000, '1h'],
    [3_660_000, '1h1m'],
    [86_400_000, '1d'],
    [90_000_000, '1d1h'],
  ])('%d ms → %s', (ms, text) => expect(rangeInput(ms)).toBe(text));
});
