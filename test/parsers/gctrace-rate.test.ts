// GCs per second and the goal ratio come from the latest run of the log: a restart or the
// capped series must not skew them (issue 15: one restart once gave 60,000 GC/s).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gctraceParser } from '../../src/parsers/gctrace.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/gctrace/${name}`, import.meta.url), 'utf8');
const line = (n: number, at: number, live = 40, goal = 80): string =>
  `gc ${n} @${at.toFixed(3)}s 5%: 0.050+1.2+0.010 ms clock, 0.10+0.2/0.3/0.1+0.020 ms cpu, ${goal - 2}->${goal - 1}->${live} MB, ${goal} MB goal, 0 MB stacks, 0 MB globals, 2 P`;

describe('gctrace GCs per second', () => {
  it('counts only the run after a restart in the middle of the log', () => {
    const { facts } = gctraceParser.parse(fixture('local_go1.19.8_restart_mid_log.txt'));
    expect(facts).toMatchObject({ cycles: 96, restarts: 1, run_cycles: 6 });
    // gc 1 @0.332s … gc 6 @1.532s of the second run.
    expect(facts['gc_per_s']).toBeCloseTo(5 / 1.2, 2);
  });

  it('one run: its cycles over its own span (healthy service, ~3.5 GC/s)', () => {
    const { facts } = gctraceParser.parse(fixture('local_go1.19.8_one_2s_pause_healthy.txt'));
    expect(facts['run_cycles']).toBe(90);
    expect(facts['gc_per_s']).toBeCloseTo(89 / (25.68 - 0.35), 2);
  });

  it('does not depend on the series cap, at any rate', () => {
    for (const perSecond of [0.5, 7, 55, 480]) {
      const log = Array.from({ length: 3000 }, (_, i) => line(i + 1, 10 + i / perSecond)).join('\n');
      const capped = gctraceParser.parse(log, { seriesLimit: 100 }).facts;
      const whole = gctraceParser.parse(log).facts;
      expect(capped['series_truncated']).toBe(true);
      expect(capped['gc_per_s']).toBe(whole['gc_per_s']);
      expect(Math.abs((capped['gc_per_s'] as number) - perSecond) / perSecond).toBeLessThan(0.01);
    }
  });

  it('a run of one cycle: N / uptime once N is large enough, else no figure', () => {
    expect(gctraceParser.parse(`${line(7, 2)}\n${line(1, 0.011)}`).facts['gc_per_s']).toBeNull();
    expect(gctraceParser.parse(line(600, 120)).facts['gc_per_s']).toBe(5);
  });

  it('heap_goal_ratio_last: goal over live heap (2 under GOGC=100, ~1.25 when a limit pins it)', () => {
    expect(gctraceParser.parse(`${line(1, 1, 40, 80)}\n${line(2, 2, 45, 80)}`).facts['heap_goal_ratio_last']).toBe(2);
    expect(gctraceParser.parse(`${line(1, 1, 40, 50)}\n${line(2, 2, 46, 50)}`).facts['heap_goal_ratio_last']).toBe(1.25);
    expect(gctraceParser.parse(line(1, 1, 40, 50)).facts['heap_goal_ratio_last']).toBeNull();
    // A growing Go heap under GOGC=100: gc 13's 227 MB goal is 2 × gc 12's 113 MB live, not 227 / 161.
    const leak = readFileSync(new URL('../../examples/go-heap-leak/gctrace.log', import.meta.url), 'utf8');
    expect(gctraceParser.parse(leak).facts['heap_goal_ratio_last']).toBe(2.009);
  });
});

describe('gctrace phase maxima', () => {
  it('each STW phase has its own longest: one long sweep termination vs both phases long', () => {
    const single = gctraceParser.parse(fixture('local_go1.19.8_one_2s_pause_healthy.txt')).facts;
    expect(single).toMatchObject({ sweep_term_max_ms: 2140, stw_max_gc: 40, stw_max_phase: 'sweep-termination' });
    expect(single['mark_term_max_ms']).toBeLessThan(0.1);
    const spin = gctraceParser.parse(fixture('local_go1.19.8_stw_spike_asyncpreemptoff.txt')).facts;
    expect(spin['sweep_term_max_ms']).toBeGreaterThan(50);
    expect(spin['mark_term_max_ms']).toBeGreaterThan(50);
  });
});
