// The hand-written field reader that replaced a capture regex must give exactly what
// Number() gave (docs/parsers.md § Bench).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gctraceParser } from '../../src/parsers/gctrace.js';

const line = (at: string, n = '14', tail = '5 MB goal, 2 P'): string =>
  `gc ${n} @${at}s 2%: 0.030+1.2+0.004 ms clock, 0.060+0.25/0.81/0.30+0.008 ms cpu, 4->4->1 MB, ${tail}`;
const firstCycle = (text: string) => (gctraceParser.parse(text).facts.series as Record<string, unknown>[])[0];

describe('gctrace field reader', () => {
  it('reads @seconds and integers as Number() does, beyond 15 digits too', () => {
    const digits = fc.stringMatching(/^[0-9]{1,22}$/);
    fc.assert(
      fc.property(digits, fc.option(digits, { nil: undefined }), digits, (whole, fraction, n) => {
        const at = fraction === undefined ? whole : `${whole}.${fraction}`;
        const cycle = firstCycle(line(at, n));
        expect(cycle?.at_s).toBe(Number(at));
        expect(cycle?.n).toBe(Number(n));
      }),
    );
  });

  it('tells the optional stacks, globals and (forced) parts apart', () => {
    const cycle = (tail: string) => firstCycle(line('1.5', '3', tail));
    expect(cycle('5 MB goal, 7 MB stacks, 8 MB globals, 9 P (forced)')).toMatchObject({ goal_mb: 5, stacks_mb: 7, globals_mb: 8, procs: 9, forced: true });
    expect(cycle('5 MB goal, 8 MB globals, 9 P')).toMatchObject({ stacks_mb: null, globals_mb: 8, procs: 9, forced: false });
    expect(cycle('5 MB goal, 7 MB stacks, 9 P')).toMatchObject({ stacks_mb: 7, globals_mb: null, procs: 9 });
    expect(cycle('5 MB goal, 8 MB globals, 7 MB stacks, 9 P')).toBeUndefined();
    expect(firstCycle(line('1.5').replace('0.030', '1.2.3'))).toBeUndefined();
  });
});
