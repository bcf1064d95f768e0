// Goroutine dumps read in chunks (issue 17 item 4): any split of a real dump gives exactly
// what one parse of the whole gives (facts, warnings, line numbers), for the parser and for
// each side of the diff; what is kept stays bounded on hostile input.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goroutinesDiffer } from '../../src/diffs/goroutines.js';
import { goroutinesParser } from '../../src/parsers/goroutines.js';
import { expectEveryDiffSplit } from '../helpers/feed-in-pieces.js';

const fixtures = new URL('../fixtures/', import.meta.url);
const read = (path: string): Buffer => readFileSync(new URL(path, fixtures));
const dumps = [
  ...readdirSync(new URL('goroutines-leaks/', fixtures)).filter((f) => f.endsWith('.txt')).map((f) => `goroutines-leaks/${f}`),
  ...readdirSync(new URL('httppprof/local/', fixtures)).filter((f) => f.startsWith('goroutine')).map((f) => `httppprof/local/${f}`),
  ...readdirSync(new URL('httppprof/goroutine_gostackparse/', fixtures)).filter((f) => f.endsWith('.txt')).map((f) => `httppprof/goroutine_gostackparse/${f}`),
];

/** Feeds `bytes` in pieces ending at `cuts`, each through a buffer overwritten after the write (as the CLI's is). */
function feed(sink: { write(chunk: Uint8Array): void }, bytes: Uint8Array, cuts: number[]): void {
  let from = 0;
  for (const cut of [...cuts, bytes.length].sort((a, b) => a - b)) {
    const piece = Buffer.from(bytes.subarray(from, cut));
    sink.write(piece);
    piece.fill(0x67); // 'g': a reader that kept the bytes would read "ggg…"
    from = cut;
  }
}

function parseInPieces(bytes: Uint8Array, cuts: number[], options?: Record<string, unknown>) {
  const stream = goroutinesParser.stream(options);
  feed(stream, bytes, cuts);
  return stream.end();
}

const cutsOf = (bytes: Uint8Array) => fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 16 });

describe('goroutines in chunks', () => {
  it('covers the real dumps of both formats', () => {
    expect(dumps.filter((d) => d.includes('debug1')).length).toBeGreaterThan(10);
    expect(dumps.filter((d) => d.includes('debug2')).length).toBeGreaterThan(10);
  });

  it.each(dumps)('%s: every split gives the one-parse result', (dump) => {
    const bytes = read(dump);
    const whole = goroutinesParser.parse(bytes);
    expect(goroutinesParser.parse(bytes.toString())).toEqual(whole);
    fc.assert(
      fc.property(cutsOf(bytes), (cuts) => {
        expect(parseInPieces(bytes, cuts)).toEqual(whole);
      }),
      { numRuns: 25 },
    );
    // Byte by byte near the start, where the format is decided.
    const head = bytes.subarray(0, 5000);
    expect(parseInPieces(head, Array.from({ length: head.length }, (_, i) => i))).toEqual(goroutinesParser.parse(head));
  });

  it('a dump cut anywhere (the 64 MB limit) reads the same in chunks: truncation and warnings', () => {
    const bytes = read('goroutines-leaks/http-body-leak.after.debug2.txt');
    fc.assert(
      fc.property(fc.nat(bytes.length).chain((end) => fc.tuple(fc.constant(end), cutsOf(bytes.subarray(0, end)))), ([end, cuts]) => {
        const prefix = bytes.subarray(0, end);
        expect(parseInPieces(prefix, cuts)).toEqual(goroutinesParser.parse(prefix));
      }),
      { numRuns: 60 },
    );
  });

  it('CRLF line ends and a BOM read as the plain dump, in any split', () => {
    const plain = read('httppprof/local/goroutine_debug2_go1.19.8.txt');
    const crlfBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(plain.toString('latin1').replace(/\n/g, '\r\n'), 'latin1')]);
    const whole = goroutinesParser.parse(crlfBom);
    expect(whole.facts).toEqual(goroutinesParser.parse(plain).facts);
    expect(parseInPieces(crlfBom, [3, 4, 5, 1000, 1001, 40_000])).toEqual(whole);
    // A BOM split across the first chunks (a pipe may deliver a byte at a time).
    for (const cuts of [[1], [2], [1, 2], [0, 1, 2, 3]]) expect(parseInPieces(crlfBom, cuts)).toEqual(whole);
  });

  it('bytes that start like a BOM but are not one are text, in any split', () => {
    const dump = read('httppprof/local/goroutine_debug2_go1.19.8_before.txt');
    for (const start of [[0xef], [0xef, 0xbb], [0xef, 0xbb, 0xbb], [0xbb, 0xbf]]) {
      const bytes = Buffer.concat([Buffer.from(start), Buffer.from('\n'), dump]);
      const whole = goroutinesParser.parse(bytes);
      expect(whole.warnings[0]).toMatchObject({ line: 1, message: expect.stringMatching(/^not part of a goroutine block: "[^"]/) });
      for (const cuts of [[1], [2], [1, 2], [3]]) expect(parseInPieces(bytes, cuts)).toEqual(whole);
    }
    const cutShort = Buffer.from([0xef, 0xbb]);
    expect(parseInPieces(cutShort, [1])).toEqual(goroutinesParser.parse(cutShort));
  });

  it('each side of the diff reads in chunks to the same diff', () => {
    const before = read('goroutines-leaks/http-body-leak.before.debug1.txt');
    const after = read('goroutines-leaks/http-body-leak.after.debug2.txt');
    const whole = goroutinesDiffer.diff(before, after);
    expect(whole.facts.total_delta).toBeGreaterThan(0);
    expectEveryDiffSplit(goroutinesDiffer, before, after, whole);
  });
});

describe('goroutines: bounded on hostile input', () => {
  it('a line longer than 1 MiB is read up to 1 MiB, with a warning naming it', () => {
    const dump = read('httppprof/local/goroutine_debug2_go1.19.8_before.txt').toString();
    const long = `main.f(${'0x1, '.repeat(300_000)})`;
    const text = `${dump}\ngoroutine 9 [running]:\n${long}\n\t/src/main.go:3 +0x1\n`;
    const { facts, warnings } = goroutinesParser.parse(text);
    expect(facts.total).toBe((goroutinesParser.parse(dump).facts.total as number) + 1);
    const lineNo = text.split('\n').indexOf(long) + 1;
    expect(warnings).toContainEqual({ line: lineNo, message: '1 lines longer than 1 MiB: only their first 1 MiB were read' });
  });

  it('keeps the first 50 warnings and counts the rest', () => {
    const block = 'goroutine 1 [running]:\nnot a call\n\n';
    const { facts, warnings } = goroutinesParser.parse(block.repeat(80));
    expect(facts.total).toBe(80);
    expect(warnings).toHaveLength(51);
    expect(warnings[49]).toEqual({ line: 50 * 3 - 1, message: 'invalid function call on line 149: "not a call"' });
    expect(warnings[50]).toEqual({ message: '30 more warnings not shown (first 50 kept)' });
  });
});
