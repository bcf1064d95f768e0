// The Prometheus API answer parser and the trend classifier, on answers recorded from a real
// Prometheus scraping the Go test service (test/fixtures/prometheus/SOURCE.txt) and on series
// built from the mechanics each trend stands for.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prometheusParser } from '../../src/parsers/prometheus.js';
import { classifyTrend, type TrendPoint } from '../../src/parsers/series-trend.js';

const MiB = 1048576;
const fixture = (name: string) => readFileSync(new URL(`../fixtures/prometheus/${name}`, import.meta.url));
const parse = (name: string, options?: Record<string, unknown>) => prometheusParser.parse(fixture(name), options);

describe('restarts in a start time', () => {
  const answer = (values: Array<[number, number]>) =>
    JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'process_start_time_seconds', instance: 'a:1' }, values: values.map(([t, v]) => [t, String(v)]) }] } });

  it.each([2, 5, 12, 40])('counts each of %i restarts, evenly spaced or at the window’s edges, and ignores a second of jitter', (count) => {
    const start = 1_796_000_000;
    const values: Array<[number, number]> = [];
    // Restarts at the second sample, the last one, and evenly between.
    const at = new Set([1, 240, ...Array.from({ length: count - 2 }, (_, k) => Math.round(1 + ((k + 1) * 239) / (count - 1)))]);
    let started = start - 3600;
    for (let i = 0; i <= 240; i++) {
      const t = start + i * 90;
      if (at.has(i)) started = t - 5;
      values.push([t, started + (i % 2)]);
    }
    const { facts } = prometheusParser.parse(answer(values));
    expect(facts.rises).toBe(count);
    expect(facts.last_rise_hours).toBe(0);
  });
});

describe('prometheus parser on recorded answers', () => {
  it.each([
    ['c-heap-0.1.rss.json', 0.1],
    ['c-heap-0.3.rss.json', 0.3],
  ])('%s: steady growth at the leak rate (10 MiB/s × rate)', (name, rate) => {
    const { facts, warnings, error } = parse(name);
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({ status: 'success', result_type: 'matrix', series_count: 1, trend: 'steady_growth', resets: 0, name: 'process_resident_memory_bytes' });
    const mibPerHour = (facts['slope_per_hour'] as number) / MiB;
    expect(mibPerHour).toBeGreaterThan(rate * 36000 * 0.9);
    expect(mibPerHour).toBeLessThan(rate * 36000 * 1.1);
    expect(facts['min']).toBeLessThan(facts['max'] as number);
    expect(facts['last']).toBe(facts['max']);
    expect((facts['labels'] as Record<string, string>)['job']).toMatch(/^leak-/);
  });

  it('healthy: flat with the default floor and with a 4 MiB one', () => {
    expect(parse('healthy.rss.json').facts['trend']).toBe('flat');
    expect(parse('healthy.rss.json', { noise_floor: 4 * MiB }).facts['trend']).toBe('flat');
  });

  it('one restart: the climb since the restart is measured, not the fall', () => {
    const { facts } = parse('c-heap-0.2-one-restart.rss.json');
    expect(facts).toMatchObject({ trend: 'steady_growth', resets: 1 });
    expect((facts['slope_per_hour'] as number) / MiB).toBeGreaterThan(0.2 * 36000 * 0.8);
    expect(facts['since']).toBe((facts['reset_times'] as string[])[0]);
  });

  it('restarts every 8 s: a sawtooth with each restart counted', () => {
    const { facts } = parse('c-heap-0.2-restarts.rss.json');
    expect(facts).toMatchObject({ trend: 'sawtooth', resets: 3 });
    expect((facts['slope_per_hour'] as number) / MiB).toBeGreaterThan(0.2 * 36000 * 0.8);
  });

  it('process_start_time_seconds moves at each restart: a step per restart', () => {
    expect(parse('c-heap-0.2-one-restart.start-time.json').facts).toMatchObject({ trend: 'step', steps: 1 });
    expect(parse('c-heap-0.2-restarts.start-time.json').facts).toMatchObject({ trend: 'step', steps: 3 });
    // Every move forward is counted as a rise, with the time of the last one.
    expect(parse('c-heap-0.2-one-restart.start-time.json').facts).toMatchObject({ rises: 1 });
    expect(parse('c-heap-0.2-restarts.start-time.json').facts).toMatchObject({ rises: 3, last_rise_at: expect.any(String) });
  });
});

describe('prometheus parser: an aggregated start time', () => {
  // max by (instance) (process_start_time_seconds{…}) drops the name: its values are still
  // dates, 2 % of which (months) is no noise floor. The recorded restarts, name removed.
  const unnamed = (name: string) => {
    const answer = JSON.parse(fixture(name).toString()) as { data: { result: Array<{ metric: Record<string, string> }> } };
    for (const series of answer.data.result) series.metric = { instance: series.metric['instance'] ?? 'x' };
    return JSON.stringify(answer);
  };
  it.each([
    ['c-heap-0.2-one-restart.start-time.json', 1],
    ['c-heap-0.2-restarts.start-time.json', 3],
  ])('%s without its name: a step per restart when the query names the metric', (name, steps) => {
    expect(prometheusParser.parse(unnamed(name), { query_names_dates: true }).facts).toMatchObject({ trend: 'step', steps });
    // Without the query's word, a level of 1.7e9 is as likely 1.7 GB of RSS: the default floor.
    expect(prometheusParser.parse(unnamed(name)).facts['trend']).toBe('flat');
  });

  it('RSS of a size near today\'s Unix time is not a date: its values are not before their samples', () => {
    const t0 = 1_700_000_000;
    const result = [{ metric: {}, values: Array.from({ length: 60 }, (_, i) => [t0 + i * 15, String(t0 + 20_000_000 + (i % 2) * 1_000_000)]) }];
    const { facts } = prometheusParser.parse(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }), { query_names_dates: true });
    expect(facts['trend']).toBe('flat');
  });
});

describe('prometheus parser: any answer', () => {
  it('an instant vector: labels and value per series, the first 50 listed', () => {
    const result = Array.from({ length: 60 }, (_, i) => ({ metric: { __name__: 'up', instance: `h${i}` }, value: [1700000000 + i, String(i)] }));
    const { facts, warnings } = prometheusParser.parse(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    expect(facts['series_count']).toBe(60);
    expect((facts['series'] as unknown[]).length).toBe(50);
    expect(facts['last']).toBeUndefined();
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('the first 50 are listed')]);
  });

  it('an empty result says what to check, rather than nothing', () => {
    const { facts, warnings } = prometheusParser.parse(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }));
    expect(facts['series_count']).toBe(0);
    expect(warnings.map((w) => w.message)).toEqual(['no series matched the query: check its metric name and label values (a target down, a mistyped job)']);
  });

  it('an error answer is an error naming Prometheus\'s words', () => {
    const { error } = prometheusParser.parse('{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected \\"}\\""}');
    expect(error).toEqual({ code: 'invalid', message: 'Prometheus answered bad_data: 1:5: parse error: unexpected "}"' });
  });

  it('scalars, NaN samples and warnings', () => {
    expect(prometheusParser.parse('{"status":"success","data":{"resultType":"scalar","result":[1700000000,"42"]}}').facts).toMatchObject({ value: 42, series_count: 0 });
    const nan = prometheusParser.parse('{"status":"success","warnings":["w1"],"data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"NaN"],[2,"1"],[3,"+Inf"],[4,"2"],[5,"3"]]}]}}');
    expect(nan.facts).toMatchObject({ samples: 3, min: 1, max: 3 });
    expect(nan.warnings.map((w) => w.message)).toEqual(['Prometheus: w1', 'series 0: 2 sample(s) that are not numbers (NaN, ±Inf or malformed) left out']);
  });

  it('never throws, on any JSON or bytes', () => {
    const sample = fc.tuple(fc.oneof(fc.double(), fc.integer()), fc.oneof(fc.string(), fc.constantFrom('NaN', '+Inf', '-Inf', '1e308')));
    const answer = fc.record({
      status: fc.oneof(fc.constant('success'), fc.string()),
      data: fc.record({ resultType: fc.constantFrom('matrix', 'vector', 'scalar', 'string', 'x'), result: fc.oneof(fc.array(fc.record({ metric: fc.dictionary(fc.string(), fc.string()), values: fc.array(sample), value: sample })), sample, fc.anything()) }),
    });
    fc.assert(fc.property(fc.oneof(answer.map((a) => JSON.stringify(a)), fc.json(), fc.string()), (text) => {
      const result = prometheusParser.parse(text, { noise_floor: 1 });
      return typeof result.facts === 'object' && Array.isArray(result.warnings);
    }), { numRuns: 500 });
  });
});

describe('classifyTrend from the mechanics', () => {
  const series = (n: number, value: (i: number) => number, every = 15): TrendPoint[] => Array.from({ length: n }, (_, i) => ({ t: 1_700_000_000 + i * every, v: value(i) }));
  /** Deterministic jitter in [-1, 1]. */
  const jitter = (i: number) => Math.sin(i * 12.9898) * 0.999;

  it.each([0.5, 4, 40])('a leak of %s MiB/h over 6 h with allocator jitter: steady growth at that rate', (rate) => {
    const points = series(1440, (i) => 200 * MiB + rate * MiB * (i * 15) / 3600 + jitter(i) * 0.2 * MiB);
    const trend = classifyTrend(points, 1 * MiB);
    expect(trend.trend).toBe('steady_growth');
    expect(trend.slopePerHour! / MiB).toBeCloseTo(rate, 1);
  });

  it('a leak with an OOM kill: one reset, the slope of the climb since', () => {
    const points = series(240, (i) => (i < 100 ? 50 + i : 50 + (i - 100) * 1.0) * MiB + jitter(i) * 0.1 * MiB, 60);
    const trend = classifyTrend(points);
    expect(trend).toMatchObject({ trend: 'steady_growth', resets: 1, since: points[100]!.t });
    expect(trend.slopePerHour! / MiB).toBeCloseTo(60, 0);
  });

  it('GC cycles of heap in use over a growing live heap: a sawtooth whose troughs rise', () => {
    // Heap grows to twice the live heap, GC drops it back to the live heap, which leaks.
    const points = series(200, (i) => {
      const live = 100 + i * 0.1;
      return (live + (i % 10) * (live / 10)) * MiB;
    });
    const trend = classifyTrend(points);
    expect(trend.trend).toBe('sawtooth');
    expect(trend.resets).toBe(19);
    expect(trend.floorSlopePerHour).toBeGreaterThan(0);
  });

  it('a cache filled at once: a step', () => {
    const points = series(100, (i) => (i < 60 ? 100 : 300) * MiB + jitter(i) * 0.5 * MiB);
    expect(classifyTrend(points)).toMatchObject({ trend: 'step', steps: 1, since: points[60]!.t });
  });

  it('a fall after which the level stays (a release, a restart of a healthy service): a step', () => {
    const points = series(100, (i) => (i < 60 ? 300 : 100) * MiB + jitter(i) * 0.5 * MiB);
    expect(classifyTrend(points)).toMatchObject({ trend: 'step', resets: 1 });
  });

  it('noise that moves up and down is flat, not a sawtooth', () => {
    const points = series(300, (i) => 100 * MiB + jitter(i) * 3 * MiB);
    expect(classifyTrend(points, 8 * MiB).trend).toBe('flat');
  });

  it.each([
    [2, 80],
    [7, 60],
    [30, 80],
  ])('a leak in bursts (%s MiB every %s samples, level between): a step whose rate is the window\'s, not the level\'s 0', (burst, every) => {
    // A batch job or a pool growing in chunks: the levels' own slope is 0, the leak's is not.
    const points = series(240, (i) => (100 + Math.floor(i / every) * burst) * MiB + jitter(i) * 0.01 * burst * MiB);
    const trend = classifyTrend(points, 0.5 * burst * MiB);
    expect(trend).toMatchObject({ trend: 'step', steps: 240 / every - 1 });
    // Samples 15 s apart: one burst every `every` × 15 s.
    const perHour = (3600 / (every * 15)) * burst;
    expect(trend.slopePerHour! / MiB).toBeGreaterThan(perHour * 0.85);
    expect(trend.slopePerHour! / MiB).toBeLessThan(perHour * 1.15);
    expect(trend.windowSlopePerHour).toBe(trend.slopePerHour);
    expect(trend.meaning).toMatch(/\/h over 59.8 min/);
  });

  it.each([20, 45])('a restart loop every %s samples: the troughs are start-up memory, said so rather than a bare 0', (period) => {
    const points = series(240, (i) => (60 + (i % period) * 0.8) * MiB + jitter(i) * 0.05 * MiB);
    const trend = classifyTrend(points);
    expect(trend.trend).toBe('sawtooth');
    expect(trend.resets).toBe(Math.ceil(240 / period) - 1);
    expect(Math.abs(trend.floorSlopePerHour!)).toBeLessThan(1 * MiB);
    expect(trend.meaning).toMatch(/troughs are start-up memory and the climbs are what counts/);
    expect(trend.slopePerHour! / MiB).toBeCloseTo(0.8 * 240, -1);
  });

  it.each([
    [100, 30],
    [400, 50],
  ])('one GC cycle of a %s MiB live heap in the window (%s samples a climb): one tooth, not steady growth', (live, climb) => {
    // Heap in use climbs from the live heap to the goal (2 × live under GOGC=100), the GC
    // drops it back, and it climbs again: nothing leaks.
    const points = series(climb + climb / 2, (i) => (live + ((i % climb) / climb) * live) * MiB + jitter(i) * 0.002 * live * MiB);
    const trend = classifyTrend(points);
    expect(trend.trend).toBe('sawtooth');
    expect(trend.resets).toBe(1);
    expect(trend.meaning).toMatch(/one cycle/);
  });

  it('NaN and ±Inf samples are counted and said, not dropped silently', () => {
    const points = series(60, (i) => 100 * MiB + i * MiB);
    const withHoles = points.map((p, i) => (i % 10 === 3 ? { ...p, v: [NaN, Infinity, -Infinity][i % 3]! } : p));
    const trend = classifyTrend(withHoles);
    expect(trend.trend).toBe('steady_growth');
    expect(trend.dropped).toBe(6);
    expect(trend.meaning).toMatch(/6 samples that are not numbers left out/);
    const answer = { status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'x' }, values: withHoles.map((p) => [p.t, String(p.v).replace('Infinity', 'Inf')]) }] } };
    const { facts, warnings } = prometheusParser.parse(JSON.stringify(answer));
    expect(facts['dropped_samples']).toBe(6);
    expect(warnings.map((w) => w.message)).toContain('series 0: 6 sample(s) that are not numbers (NaN, ±Inf or malformed) left out');
  });

  it('fewer than 3 samples say so', () => {
    expect(classifyTrend(series(2, (i) => i)).trend).toBe('too_few_samples');
    expect(classifyTrend([]).meaning).toBe('0 samples: a trend needs 3 or more');
  });
});
