// /proc/PID/maps read in chunks (issue 19): the proc-maps parser and the maps diff give for any
// split of their input exactly what one call on the whole gives, with the buffer handed to
// `write` overwritten after each call (the CLI reuses it), CRLF, a BOM, non-ASCII paths and
// lines that are not maps lines included.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapsDiffer } from '../../src/diffs/maps.js';
import { procMapsParser } from '../../src/parsers/proc-maps.js';

const fixture = (path: string): Buffer => readFileSync(new URL(`../fixtures/proc/${path}`, import.meta.url));

/** Feeds `bytes` to `write` in pieces ending at `cuts`, each piece overwritten once written. */
function feedInPieces(bytes: Uint8Array, cuts: number[], write: (chunk: Uint8Array) => void): void {
  let from = 0;
  for (const cut of [...cuts, bytes.length].sort((a, b) => a - b)) {
    const piece = Buffer.from(bytes.subarray(from, cut));
    write(piece);
    piece.fill(0x41);
    from = cut;
  }
}

// From byte 3 on: ChunkLines recognises a BOM in a first chunk of at least 3 bytes (its doc).
const cutsOf = (bytes: Uint8Array) => fc.array(fc.integer({ min: 3, max: bytes.length }), { maxLength: 12 });

// The odd-paths fixture plus what a hand-made file holds: a BOM, CRLF, a non-ASCII path, an
// address from 2^53 up, a blank line and one that is not a maps line.
const oddMaps = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from(
    `${fixture('local/odd_paths/maps').toString('utf8').replace(/\n/g, '\r\n')}` +
      '7f0000001000-7f0000002000 r--p 00000000 08:01 77 /srv/données/été.so\r\n\r\nnot a maps line\r\n' +
      'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]',
  ),
]);

describe('proc-maps in chunks', () => {
  it('gives the same result for every split of the input', () => {
    for (const bytes of [fixture('local/leaky_after/proc_maps.txt'), oddMaps]) {
      const whole = procMapsParser.parse(bytes);
      fc.assert(
        fc.property(cutsOf(bytes), (cuts) => {
          const stream = procMapsParser.stream();
          feedInPieces(bytes, cuts, (chunk) => stream.write(chunk));
          expect(stream.end()).toEqual(whole);
        }),
        { numRuns: 40 },
      );
    }
    expect(procMapsParser.parse(oddMaps).warnings).toEqual([{ line: 34, message: 'not a maps line: "not a maps line\\r"' }]);
    expect((procMapsParser.parse(oddMaps).facts.regions as { path: string }[]).map((r) => r.path)).toContain('/srv/données/été.so');
  });
});

describe('maps diff in chunks', () => {
  it('gives the same result for every split of either side', () => {
    const before = fixture('local/leaky_before/proc_maps.txt');
    const after = fixture('local/leaky_after/proc_maps.txt');
    for (const [a, b] of [
      [before, after],
      [oddMaps, after],
    ] as const) {
      const whole = mapsDiffer.diff(a, b);
      fc.assert(
        fc.property(cutsOf(a), cutsOf(b), (cutsA, cutsB) => {
          const stream = mapsDiffer.stream();
          feedInPieces(a, cutsA, (chunk) => stream.before.write(chunk));
          feedInPieces(b, cutsB, (chunk) => stream.after.write(chunk));
          expect(stream.end()).toEqual(whole);
        }),
        { numRuns: 40 },
      );
    }
  });
});
