import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { gctraceParser } from '../../src/parsers/gctrace.js';
import { msToMicros } from '../../src/parsers/gctrace/line.js';
import { nearestRank } from '../../src/parsers/percentile.js';
import { getParser } from '../../src/parsers/registry.js';
import { cycleArbitrary, formatMicrosAsMs, printedMicros, renderGcLine } from './render/gctrace-line.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/gctrace/${name}`, import.meta.url), 'utf8');
const parse = (name: string) => gctraceParser.parse(fixture(name));

describe('gctrace: real logs', () => {
  it('sums sweep termination and mark termination into the STW pause (go1.15, 8 P)', () => {
    const { facts, warnings, error } = parse('go1.15era_issue42642_sweep_termination_spikes.txt');
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(facts.cycles).toBe(10);
    // gc 9: 6.4+106+2.2 ms clock → 6.4 + 2.2 ms of stop-the-world; the 106 ms mark is concurrent.
    expect(facts.stw_max_ms).toBe(8.6);
    expect(facts.stw_max_gc).toBe(9);
    expect(facts.stw_max_phase).toBe('sweep-termination');
    // Ten pauses in µs, sorted: 13 24 47 75 116 470 1465 1990 7400 8600; nearest rank 5 = 116.
    expect(facts.stw_p50_ms).toBe(0.116);
    expect(facts.stw_p99_ms).toBe(8.6);
    expect(facts.stw_total_ms).toBe(20.2);
    expect(facts.live_heap_mb_first).toBe(4);
    expect(facts.live_heap_mb_last).toBe(286);
    expect(facts.heap_goal_mb_last).toBe(381);
    expect(facts.live_heap_trend).toBe('rising');
  });

  it('keeps integer-ms times of long pauses (go1.6, 1e6 goroutines: 38+203+129)', () => {
    const { facts } = parse('go1.6_issue14420_stw_spike_1e6_goroutines.txt');
    expect(facts.stw_max_ms).toBe(167);
    expect(facts.stw_max_phase).toBe('mark-termination');
    expect(facts.gc_cpu_percent_last).toBe(3);
    expect(facts.series).toEqual([
      {
        n: 22, at_s: 96.88, cpu_percent: 3, stw_us: 167_000, sweep_term_us: 38_000, mark_us: 203_000,
        mark_term_us: 129_000, heap_start_mb: 1266, heap_end_mb: 1276, live_mb: 656, goal_mb: 1293,
        stacks_mb: null, globals_mb: null, procs: 36, forced: false,
      },
    ]);
  });

  it('measures the real time-to-safepoint spikes of the local asyncpreemptoff run', () => {
    const { facts } = parse('local_go1.19.8_stw_spike_asyncpreemptoff.txt');
    expect(facts.cycles).toBe(9);
    expect(facts.stw_max_ms).toBe(206); // gc 6: 99 + 107
    expect(facts.stw_max_gc).toBe(6);
    expect(facts.stw_p50_ms).toBe(188); // sorted: 85.003 95.013 185 187 188 195 198 201 206
    expect(facts.live_heap_trend).toBe('flat');
    expect(facts.gomemlimit_pressure).toBe(false);
  });

  it('finds gc lines behind a syslog prefix', () => {
    const { facts } = parse('go1.16_issue44554_syslog_prefixed.txt');
    expect(facts.cycles).toBe(10);
    expect((facts.series as { n: number }[]).map((c) => c.n)).toEqual([46, 47, 48, 49, 50, 51, 52, 53, 54, 55]);
    expect(facts.stw_max_ms).toBe(0.796);
  });

  it('skips interleaved application output', () => {
    const { facts, warnings } = parse('go1.22.3_issue68643_interleaved_app_output.txt');
    expect(facts.cycles).toBe(1);
    expect(facts.other_lines).toBe(9);
    expect(warnings).toEqual([]);
  });

  it('counts a process restart inside one log (gc numbering back to 1)', () => {
    const { facts } = parse('go1.8era_issue18896_40P.txt');
    expect(facts.cycles).toBe(13);
    expect(facts.restarts).toBe(1);
    expect(facts.stw_max_ms).toBe(2.43);
    expect(facts.live_heap_mb_last).toBe(16);
    // The trend is of the latest run, which has a single cycle.
    expect(facts.live_heap_trend).toBe('unknown');
    expect(facts.stacks_mb_last).toBeNull();
  });

  it('counts forced cycles and reads the stacks/globals fields', () => {
    const forced = parse('go1.19devel_issue52515_forced.txt').facts;
    expect(forced.forced_cycles).toBe(1);
    expect(forced.forced_share).toBe(0.5);
    const stacks = parse('go1.19_issue54649_stacks66MB.txt').facts;
    expect(stacks.stacks_mb_last).toBe(66);
    expect(stacks.globals_mb_last).toBe(0);
  });

  it('ignores and counts scavenger lines (scavtrace interleaved)', () => {
    const { facts } = parse('local_go1.19.8_linux_amd64_gctrace_scavtrace.txt');
    expect(facts.cycles).toBe(6);
    expect(facts.scavenger_lines).toBe(6);
    expect(facts.forced_cycles).toBe(1);
    expect(facts.stw_max_ms).toBe(1.803);
  });

  it('reports a log of only scvg lines as not gctrace', () => {
    const result = parse('go1.6_issue15212_scvg_lines.txt');
    expect(result.error?.code).toBe('unrecognised-format');
    expect(result.facts.scavenger_lines).toBe(3);
  });

  it('rejects Go ≤ 1.4 and Go 1.5 five-phase logs as unsupported, not misread', () => {
    const old = parse('go1.4_issue12228_pre15_format.txt');
    expect(old.error?.code).toBe('unsupported-format');
    expect(old.error?.message).toMatch(/Go ≤ 1.4/);
    expect(old.facts.cycles).toBe(0);
    const five = parse('go1.5-1.6dev_issue13552_five_phase_format.txt');
    expect(five.error?.code).toBe('unsupported-format');
    expect(five.error?.message).toMatch(/five-phase/);
    expect(five.facts.scavenger_lines).toBe(1);
  });

  it('parses a bogus @ time (runtime clock bug) with a warning', () => {
    const { facts, warnings } = parse('go1.9rc2_issue21554_bogus_timestamp.txt');
    expect(facts.cycles).toBe(1);
    expect(warnings).toEqual([{ line: 1, message: expect.stringMatching(/implausible/) }]);
  });

  it('flags a coarse Windows timer instead of reporting sub-ms precision', () => {
    const { facts, warnings } = parse('windows_issue22439_coarse_timer.txt');
    expect(facts.cycles).toBe(16);
    expect(facts.coarse_timer).toBe(true);
    expect(facts.stw_p50_ms).toBe(0);
    expect(facts.stw_max_ms).toBe(1);
    expect(warnings.some((w) => /coarse OS timer/.test(w.message))).toBe(true);
    expect(parse('go1.15era_issue42642_sweep_termination_spikes.txt').facts.coarse_timer).toBe(false);
  });

  it('does not call the GOMEMLIMIT experiment startup (normal goal headroom) pressure', () => {
    expect(parse('go1.20era_issue58106_gomemlimit_32P.txt').facts.gomemlimit_pressure).toBe(false);
  });

  it('is registered as "gctrace"', () => {
    expect(getParser('gctrace')).toBe(gctraceParser);
  });
});

describe('gctrace: the longest pauses', () => {
  it('lists the five longest STW pauses, longest first, the first being the max', () => {
    const { facts } = parse('local_go1.19.8_stw_spike_asyncpreemptoff.txt');
    const top = facts.stw_top_ms as number[];
    expect(top).toHaveLength(5);
    expect(top[0]).toBe(facts.stw_max_ms);
    expect([...top].sort((a, b) => b - a)).toEqual(top);
    expect(top[1]!).toBeGreaterThan(10);
  });

  it('tells one isolated outlier from recurring pauses by the second longest', () => {
    const clock = (stwMs: number) => `${stwMs}+1+0.01 ms clock`;
    const log = [0.05, 82, 0.04, 0.06]
      .map((stw, i) => `gc ${i + 1} @${i}.000s 1%: ${clock(stw)}, 0.1+0/1/2+0.1 ms cpu, 4->4->1 MB, 5 MB goal, 2 P`)
      .join('\n');
    const top = gctraceParser.parse(log).facts.stw_top_ms as number[];
    expect(top[0]).toBeCloseTo(82.01, 3);
    expect(top[1]!).toBeLessThan(1);
    expect(top).toHaveLength(4);
  });
});

describe('gctrace: mechanics', () => {
  const line = (n: number, cpu: number, endGoal: string, extra = '') =>
    `gc ${n} @${n}.000s ${cpu}%: 0.1+2+0.1 ms clock, 0.1+0/1/2+0.1 ms cpu, ${endGoal}, 4 P${extra}`;

  it('reports GOMEMLIMIT pressure: goal pinned near the live heap, y at goal, GC CPU rising', () => {
    const log = [11, 12, 13, 14].map((n, i) => line(n, 5 + i, '95->99->90 MB, 100 MB goal')).join('\n');
    const { facts } = gctraceParser.parse(log);
    expect(facts.gomemlimit_pressure).toBe(true);
    // gc 11 has no previous cycle to compare the goal with.
    expect(facts.gomemlimit_pressure_from_gc).toBe(12);
    expect(facts.goal_bound_streak_max).toBe(3);
  });

  it('does not report pressure when the goal has GOGC=100 headroom', () => {
    const log = [11, 12, 13, 14].map((n, i) => line(n, 5 + i, '95->180->90 MB, 180 MB goal')).join('\n');
    expect(gctraceParser.parse(log).facts.gomemlimit_pressure).toBe(false);
  });

  it('restarts are counted each time the gc number goes back', () => {
    const log = [1, 2, 3, 1, 2, 1].map((n) => line(n, 1, '4->4->1 MB, 5 MB goal')).join('\r\n');
    const { facts } = gctraceParser.parse(log);
    expect(facts.restarts).toBe(2);
    expect(facts.cycles).toBe(6);
  });

  it('warns with the line number on a truncated gc line and keeps the rest', () => {
    const log = `${line(1, 1, '4->4->1 MB, 5 MB goal')}\ngc 2 @0.5s 1%: 0.1+2\n${line(3, 1, '4->4->1 MB, 5 MB goal')}`;
    const { facts, warnings } = gctraceParser.parse(log);
    expect(facts.cycles).toBe(2);
    expect(facts.malformed_lines).toBe(1);
    expect(warnings).toEqual([{ line: 2, message: expect.stringMatching(/gc N @/) }]);
  });

  it('keeps the latest cycles in the series past the limit and says so', () => {
    const log = Array.from({ length: 25 }, (_, i) => line(i + 1, 1, '4->4->1 MB, 5 MB goal')).join('\n');
    const { facts } = gctraceParser.parse(log, { seriesLimit: 10 });
    expect(facts.cycles).toBe(25);
    expect(facts.series_truncated).toBe(true);
    expect((facts.series as { n: number }[]).map((c) => c.n)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
  });

  it('seriesLimit 0 keeps no rows but all statistics', () => {
    const log = Array.from({ length: 5 }, (_, i) => line(i + 1, 1, '4->4->1 MB, 5 MB goal')).join('\n');
    const { facts } = gctraceParser.parse(log, { seriesLimit: 0 });
    expect(facts).toMatchObject({ cycles: 5, series: [], series_truncated: true, stw_max_ms: 0.2 });
  });

  it('empty input is an "empty" error', () => {
    expect(gctraceParser.parse('').error?.code).toBe('empty');
    expect(gctraceParser.parse(new Uint8Array()).error?.code).toBe('empty');
  });

  it('converts printed ms to integer µs exactly', () => {
    expect(msToMicros(Buffer.from('0.030'))).toBe(30);
    expect(msToMicros(Buffer.from('1.2'))).toBe(1200);
    expect(msToMicros(Buffer.from('38'))).toBe(38_000);
    expect(msToMicros(Buffer.from('0.0045'))).toBe(5);
    expect(msToMicros(Buffer.from('1.2.3'))).toBeNaN();
  });

  it('nearest-rank percentile picks an observed value', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(sorted, 50)).toBe(5);
    expect(nearestRank(sorted, 99)).toBe(10);
    expect(nearestRank(sorted, 100)).toBe(10);
    expect(nearestRank(Array.from({ length: 300 }, (_, i) => i + 1), 99)).toBe(297);
  });
});

describe('gctrace: properties', () => {
  it('never throws on arbitrary text or bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (text) => {
        const result = gctraceParser.parse(text);
        expect(Array.isArray(result.warnings)).toBe(true);
      }),
    );
    fc.assert(fc.property(fc.uint8Array(), (bytes) => void gctraceParser.parse(bytes)));
  });

  it('never throws on gc-shaped noise', () => {
    const tokens = fc.constantFrom('gc ', '1', '@', 's ', '%: ', '+', '.', ' ms clock, ', '->', ' MB', ' goal, ', ' P', '\n', ' (forced)');
    fc.assert(fc.property(fc.array(tokens, { maxLength: 60 }), (parts) => void gctraceParser.parse(parts.join(''))));
  });

  it('parse(render(cycle)) gives the cycle back, with any log prefix', () => {
    fc.assert(
      fc.property(cycleArbitrary, fc.constantFrom('', 'Feb 26 13:56:33.456 ', 'app[12]: '), (c, prefix) => {
        const { facts, error } = gctraceParser.parse(prefix + renderGcLine(c));
        expect(error).toBeUndefined();
        const sweep = printedMicros(c.sweep_term_us);
        const markTerm = printedMicros(c.mark_term_us);
        expect(facts.series).toEqual([
          {
            n: c.n, at_s: c.at_ms / 1000, cpu_percent: c.cpu_percent, stw_us: sweep + markTerm,
            sweep_term_us: sweep, mark_us: printedMicros(c.mark_us), mark_term_us: markTerm,
            heap_start_mb: c.heap_start_mb, heap_end_mb: c.heap_end_mb, live_mb: c.live_mb, goal_mb: c.goal_mb,
            stacks_mb: c.stacks_mb, globals_mb: c.globals_mb, procs: c.procs, forced: c.forced,
          },
        ]);
      }),
    );
  });

  it('the max and p50 over rendered logs match a direct computation', () => {
    fc.assert(
      fc.property(fc.array(cycleArbitrary, { minLength: 1, maxLength: 40 }), (cycles) => {
        const { facts } = gctraceParser.parse(cycles.map(renderGcLine).join('\n'));
        const stw = cycles.map((c) => printedMicros(c.sweep_term_us) + printedMicros(c.mark_term_us)).sort((a, b) => a - b);
        expect(facts.stw_max_ms).toBe(stw[stw.length - 1]! / 1000);
        expect(facts.stw_p50_ms).toBe(stw[Math.ceil(stw.length / 2) - 1]! / 1000);
      }),
    );
  });

  it('formats like fmtNSAsMS', () => {
    expect(formatMicrosAsMs(30)).toBe('0.030');
    expect(formatMicrosAsMs(1234)).toBe('1.2');
    expect(formatMicrosAsMs(38_000)).toBe('38');
    expect(formatMicrosAsMs(9_999)).toBe('9.9');
  });
});
