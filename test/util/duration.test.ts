import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/util/duration.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['250ms', 250],
    ['2h', 7_200_000],
    ['1.5s', 1500],
    ['1d', 86_400_000],
    ['1h2m3s4ms', 3_723_004],
    [' 5m ', 300_000],
    ['0s', 0],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each([
    ['', 'empty'],
    ['30', "add a unit, e.g. '30s'"],
    ['30x', "unexpected '30x'"],
    ['1m 30s', "unexpected ' 30s'"],
    ['30s1m', 'largest to smallest'],
    ['1m1m', 'largest to smallest'],
    ['-5s', "unexpected '-5s'"],
    ['400d', 'longer than a year'],
  ])('%j is an error', (text, message) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
    expect(!result.ok && result.error).toContain(`invalid duration '${text}'`);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [250, '250ms'],
    [1500, '1.5s'],
    [1234, '1.23s'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [120_000, '2m'],
    [7_200_000, '2h'],
    [3_900_000, '1h5m'],
    [-1500, '-1.5s'],
  ])('%d → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration for whole seconds', () => {
    for (const ms of [1000, 59_000, 61_000, 3_600_000, 5_400_000]) {
      const parsed = parseDuration(formatDuration(ms));
      expect(parsed).toEqual({ ok: true, ms });
    }
  });
});
