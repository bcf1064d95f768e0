import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from '../../src/facts/format-human.js';

describe('format-human (TUI and notes share it)', () => {
  it('durations: ms, tenths of seconds, rounded seconds, then minutes and hours', () => {
    expect([850, 4200, 40_960, 59_600, 185_000, 3_720_000].map(formatDuration)).toEqual(['850 ms', '4.2 s', '41 s', '1m 00s', '3m 05s', '1h 02m']);
  });

  it('sizes up to GiB (a 2 GiB output is not "2048.0 MiB")', () => {
    expect([512, 1536, 5 * 2 ** 20, 2 * 2 ** 30].map(formatBytes)).toEqual(['512 B', '1.5 KiB', '5.0 MiB', '2.0 GiB']);
  });
});
