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

  it('fewer than 3 samples say so', () => {
    expect(classifyTrend(series(2, (i) => i)).trend).toBe('too_few_samples');
    expect(classifyTrend([]).meaning).toBe('0 samples: a trend needs 3 or more');
  });
});
