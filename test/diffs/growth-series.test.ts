import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyTrend, growthSeriesFacts, type SeriesPoint } from '../../src/diffs/growth-series.js';

/** Points every `seconds` apart, growing by each leg's MiB. */
function points(legsMb: number[], seconds: number[] | number, startKb = 50_000): SeriesPoint[] {
  const out: SeriesPoint[] = [{ t_s: 0, kb: startKb }];
  legsMb.forEach((mb, i) => {
    const dt = Array.isArray(seconds) ? seconds[i]! : seconds;
    const last = out[out.length - 1]!;
    out.push({ t_s: last.t_s + dt, kb: last.kb + mb * 1024 });
  });
  return out;
}

describe('classifyTrend', () => {
  const floor = 8;
  it('steady: like rates in every leg, at several rates and leg lengths', () => {
    for (const perMin of [20, 60, 240, 960]) {
      for (const seconds of [10, 30, 120]) {
        const leg = (perMin * seconds) / 60;
        if (leg < floor) continue;
        expect(classifyTrend([leg, leg * 1.1], [seconds, seconds], floor), `${perMin} MiB/min, ${seconds} s`).toBe('steady');
        expect(classifyTrend([leg * 1.1, leg, leg * 0.95], [seconds, seconds, seconds], floor)).toBe('steady');
      }
    }
  });

  it('steady when the legs differ in length but not in rate (the rate, not the MiB, is compared)', () => {
    expect(classifyTrend([20, 60], [10, 30], floor)).toBe('steady');
    expect(classifyTrend([60, 20], [30, 10], floor)).toBe('steady');
  });

  it('accelerating and slowing: the later half ≥ 1.5× faster (slower) and a floor apart', () => {
    expect(classifyTrend([10, 30], [10, 10], floor)).toBe('accelerating');
    expect(classifyTrend([10, 10, 25, 30], [10, 10, 10, 10], floor)).toBe('accelerating');
    expect(classifyTrend([30, 12], [10, 10], floor)).toBe('slowing');
    expect(classifyTrend([40, 35, 15, 12], [20, 20, 20, 20], floor)).toBe('slowing');
  });

  it('a ratio above 1.5 that is under the noise floor in MiB stays steady', () => {
    // 9 → 15 MiB per leg: 1.67× but only 6 MiB apart with an 8 MiB floor.
    expect(classifyTrend([9, 15], [10, 10], floor)).toBe('steady');
    expect(classifyTrend([15, 9], [10, 10], floor)).toBe('steady');
  });

  it('plateau: grew, then the last leg stayed under the floor', () => {
    expect(classifyTrend([40, 2], [15, 15], floor)).toBe('plateau');
    expect(classifyTrend([20, 20, 1], [10, 10, 10], floor)).toBe('plateau');
    expect(classifyTrend([30, 0, -1], [10, 10, 10], floor)).toBe('plateau');
  });

  it('step: flat, then one leg with most of the growth', () => {
    expect(classifyTrend([1, 40], [15, 15], floor)).toBe('step');
    expect(classifyTrend([0.5, 48, 1], [10, 10, 10], floor)).toBe('step');
    expect(classifyTrend([1, 1, 64, 2], [30, 30, 30, 30], floor)).toBe('step');
  });

  it('flat: the whole series grew less than the floor, whatever its wobble', () => {
    expect(classifyTrend([3, -2], [10, 10], floor)).toBe('flat');
    expect(classifyTrend([-20, 12], [10, 10], floor)).toBe('flat');
  });

  it('no trend from one leg', () => {
    expect(classifyTrend([40], [10], floor)).toBeUndefined();
    expect(classifyTrend([], [], floor)).toBeUndefined();
  });

  it('scales with the floor: the same legs are slowing over a small floor and a plateau over a larger one', () => {
    expect(classifyTrend([12, 5], [10, 10], 4)).toBe('slowing');
    expect(classifyTrend([12, 5], [10, 10], 8)).toBe('plateau');
  });

  it('total on any legs: a trend or undefined, never a throw', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: false }), { maxLength: 6 }), fc.double(), (legs, floorMb) => {
        const result = classifyTrend(legs, legs.map(() => 10), floorMb);
        expect(result === undefined || typeof result === 'string').toBe(true);
      }),
    );
  });
});

describe('growthSeriesFacts', () => {
  it('gives legs, the rate over the whole series and the trend', () => {
    const { facts, warnings } = growthSeriesFacts(points([30, 31], [30, 30]), 8);
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({
      count: 3,
      legs_mb: [30, 31],
      leg_seconds: [30, 30],
      leg_mib_per_min: [60, 62],
      growth_mb: 61,
      seconds: 60,
      mib_per_min: 61,
      trend: 'steady',
      noise_floor_mb: 8,
    });
    expect(facts['trend_meaning']).toMatch(/^steady/);
    expect(facts['legs_text']).toBe('+30 MiB in 30 s, +31 MiB in 30 s');
    // A leg that fell by 1 MiB reads −1 (U+2212), never the placeholder-looking "-1".
    expect(growthSeriesFacts(points([49.3, -1], [15, 15]), 8).facts['legs_text']).toBe('+49.3 MiB in 15 s, \u22121 MiB in 15 s');
  });

  it('the rate is over real time: uneven gaps (a slow snapshot) count as they were', () => {
    const { facts } = growthSeriesFacts(points([20, 40], [10, 20]), 8);
    expect(facts).toMatchObject({ mib_per_min: 120, leg_mib_per_min: [120, 120], trend: 'steady' });
  });

  it('two points: a rate but no trend', () => {
    const { facts } = growthSeriesFacts(points([12], [60]), 8);
    expect(facts).toMatchObject({ count: 2, mib_per_min: 12, legs_mb: [12] });
    expect(facts).not.toHaveProperty('trend');
  });

  it('drops a point out of time order or not finite, with a warning', () => {
    const { facts, warnings } = growthSeriesFacts([{ t_s: 0, kb: 0 }, { t_s: Number.NaN, kb: 5 }, { t_s: 10, kb: 10240 }], 8);
    expect(warnings).toEqual([expect.stringMatching(/snapshot 1 .*left out/)]);
    expect(facts).toMatchObject({ count: 2, growth_mb: 10 });
  });
});
