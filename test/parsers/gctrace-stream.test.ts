// gctrace read in chunks (issue 17 item 4, issue 19): any split of the input gives exactly
// what one parse of the whole gives; lines are classified by the documented Go ≥ 1.6
// pattern read from bytes; pauses, series and lines stay bounded on inputs of any size.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gctraceParser } from '../../src/parsers/gctrace.js';
import { PauseDistribution } from '../../src/parsers/gctrace/pause-distribution.js';
import { nearestRank } from '../../src/parsers/percentile.js';
import { cycleArbitrary, renderGcLine } from './render/gctrace-line.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/gctrace/${name}`, import.meta.url));

/** Parses `bytes` fed in pieces ending at `cuts`. */
function parseInPieces(bytes: Uint8Array, cuts: number[], options?: Record<string, unknown>) {
  const stream = gctraceParser.stream(options);
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    // A reused buffer: the stream must not keep what it was handed.
    const piece = Buffer.from(bytes.subarray(from, cut));
    stream.write(piece);
    piece.fill(0x41);
    from = cut;
  }
  const last = Buffer.from(bytes.subarray(from));
  stream.write(last);
  last.fill(0x41);
  return stream.end();
}

// The Go ≥ 1.6 line as docs/parsers.md states it: the specification the byte reader follows.
const documentedPattern =
  /gc \d+ @\d+(?:\.\d+)?s \d+%: [0-9.]+\+[0-9.]+\+[0-9.]+ ms clock, [0-9.+/]+ ms cpu, \d+->\d+->\d+ MB, \d+ MB goal, (?:\d+ MB stacks, )?(?:\d+ MB globals, )?\d+ P(?: \(forced\))?/;
const clockIsNumber = (line: string): boolean => {
  const clock = /%: ([0-9.]+)\+([0-9.]+)\+([0-9.]+) ms clock/.exec(line);
  return clock !== null && clock.slice(1).every((t) => /^(\d+\.?\d*|\.\d+)$/.test(t));
};

describe('gctrace in chunks', () => {
  it('gives the same result for every split of real logs, chunk boundaries inside lines, CRLF and the BOM included', () => {
    for (const name of ['go1.16_issue44554_syslog_prefixed.txt', 'go1.22.3_issue68643_interleaved_app_output.txt', 'go1.6_issue15212_scvg_lines.txt', 'go1.5-1.6dev_issue13552_five_phase_format.txt']) {
      const bytes = fixture(name);
      const whole = gctraceParser.parse(bytes);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }), (cuts) => {
          expect(parseInPieces(bytes, cuts)).toEqual(whole);
        }),
        { numRuns: 40 },
      );
    }
    const crlfBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(fixture('go1.8era_issue18896_40P.txt').toString('latin1').replace(/\n/g, '\r\n'), 'latin1')]);
    expect(parseInPieces(crlfBom, [1, 2, 3, 4, 100, 101])).toEqual(gctraceParser.parse(crlfBom));
    expect(gctraceParser.parse(crlfBom).facts.cycles).toBe(gctraceParser.parse(fixture('go1.8era_issue18896_40P.txt')).facts.cycles);
  });

  it('reads a cycle exactly where the documented pattern matches and its clock times are numbers, on gc-shaped noise', () => {
    const tokens = fc.constantFrom('gc ', '1', '23', '@', '.', 's ', '%: ', '+', '/', ' ms clock, ', ' ms cpu, ', '->', ' MB, ', ' MB goal, ', ' MB stacks, ', ' MB globals, ', ' P', ' (forced)', 'é', 'x');
    fc.assert(
      fc.property(fc.array(fc.array(tokens, { maxLength: 40 }).map((t) => t.join('')), { maxLength: 8 }), (lines) => {
        const expected = lines.filter((line) => documentedPattern.test(line) && clockIsNumber(line)).length;
        const text = lines.join('\n');
        expect(gctraceParser.parse(text).facts.cycles).toBe(expected);
        expect(gctraceParser.parse(Buffer.from(text)).facts.cycles).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the latest seriesLimit cycles of a long log, in order, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(cycleArbitrary, { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 1, max: 300 }), (cycles, limit, chunk) => {
        const bytes = Buffer.from(cycles.map((c, i) => renderGcLine({ ...c, n: i + 1 })).join('\n'));
        const cuts = Array.from({ length: Math.floor(bytes.length / chunk) }, (_, k) => (k + 1) * chunk);
        const result = parseInPieces(bytes, cuts, { seriesLimit: limit });
        const series = result.facts.series as { n: number }[];
        expect(series.map((row) => row.n)).toEqual(cycles.map((_, i) => i + 1).slice(Math.max(0, cycles.length - limit)));
        expect(result.facts.series_truncated).toBe(cycles.length > limit);
        expect(result).toEqual(gctraceParser.parse(bytes, { seriesLimit: limit }));
      }),
      { numRuns: 200 },
    );
  });

  it('reads a line without a newline only up to 1 MiB, says so, and still reads the lines after it', () => {
    const line = 'gc 1 @0.011s 2%: 0.015+0.64+0.004 ms clock, 0.060+0.25/0.81/0.30+0.008 ms cpu, 4->4->0 MB, 5 MB goal, 4 P';
    const bytes = Buffer.from(`${'x'.repeat(3 * 2 ** 20)}${line}\n${line.replace('gc 1 ', 'gc 2 ')}\n`);
    const result = parseInPieces(bytes, [65536, 2 ** 20, 2 ** 21 + 7]);
    expect(result.facts.cycles).toBe(1);
    expect(result.facts.other_lines).toBe(1);
    expect(result.warnings).toContainEqual({ line: 1, message: '1 lines longer than 1 MiB: only their first 1 MiB were read' });
    expect(result).toEqual(gctraceParser.parse(bytes));
  });

  it('says an input of only whitespace is empty, Unicode spaces split across chunks included', () => {
    const bytes = Buffer.from(' \u00a0\n\u2028\u3000\t');
    for (let cut = 0; cut <= bytes.length; cut++) expect(parseInPieces(bytes, [cut]).error?.code).toBe('empty');
    expect(parseInPieces(Buffer.from(' \u00a0x'), [2]).error?.code).toBe('unrecognised-format');
    expect(parseInPieces(Buffer.from([0x20, 0xe2, 0x80]), [2]).error?.code).toBe('unrecognised-format'); // cut UTF-8: U+FFFD
  });
});

describe('pause distribution', () => {
  it('gives the nearest-rank p50/p99 and the five longest of any pauses exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 1, maxLength: 400 }), (pauses) => {
        const d = new PauseDistribution(5);
        for (const us of pauses) d.add(us);
        const sorted = [...pauses].sort((a, b) => a - b);
        expect(d.percentile(50)).toBe(nearestRank(sorted, 50));
        expect(d.percentile(99)).toBe(nearestRank(sorted, 99));
        expect(d.longest()).toEqual(sorted.slice(-5).reverse());
        expect(d.approximate).toBe(false);
      }),
    );
  });

  it('stays bounded past 65,536 distinct values, rounding ranks to 3 significant digits and saying so', () => {
    const d = new PauseDistribution(5);
    const pauses = Array.from({ length: 200_000 }, (_, i) => 1000 + ((i * 7919) % 150_000));
    for (const us of pauses) d.add(us);
    const sorted = [...pauses].sort((a, b) => a - b);
    expect(d.approximate).toBe(true);
    for (const p of [50, 99]) {
      const exact = nearestRank(sorted, p);
      expect(Math.abs(d.percentile(p)! - exact) / exact).toBeLessThan(0.005);
    }
    expect(d.longest()).toEqual(sorted.slice(-5).reverse());
  });
});
