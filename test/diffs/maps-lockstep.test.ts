// The maps diff merges its two snapshots by address while it reads them and drops the rows it
// has passed (issue 19: flat memory). Read in lockstep, in chunks of any size, it must give
// exactly what the whole diff gives, and each side's arena totals must be what the proc-maps
// parser (which keeps every row) reads from that file alone; on recorded pairs it must give
// what the build before it gave. The snapshots are large enough
// that rows are dropped many times (≥ 4096 at once) and the path pool is rebuilt.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapsDiffer } from '../../src/diffs/maps.js';
import { procMapsParser } from '../../src/parsers/proc-maps.js';
import type { Facts, ParseResult } from '../../src/parsers/types.js';
import { digest } from '../golden/cases.mjs';
import { feedInLockstep } from '../helpers/feed-in-pieces.js';
import { addressSpace, later, random, text } from '../parsers/render/address-space.js';

/** Lockstep feeding in pieces of 1–300 or 1–70,000 bytes, cut by `rnd`. */
const lockstep = (before: Buffer, after: Buffer, rnd: () => number, options: Record<string, unknown>): ParseResult =>
  feedInLockstep(mapsDiffer, before, after, () => 1 + Math.floor(rnd() * (rnd() < 0.3 ? 300 : 70_000)), options);

/**
 * Seed, rows, listLimit and the digest (test/golden/cases.mjs) of what the diff gave before it
 * merged as it read (the whole-table build 54b84aa, recorded with that build's dist on these
 * generated pairs): an oracle independent of the walk, the tally and the change lists.
 */
const RECORDED: [number, number, number | undefined, string][] = [
  [1, 9000, undefined, 'bcd51d73397faa07a6b9a069d0ccda07a877b342336434f26f924dd8894a8250'],
  [2, 15000, 3, '4683f0c976adf5ec3d51bc7178d58abdd80cc6f4d9bdcc4cea90c4f77472bc03'],
  [3, 30000, undefined, '8fe43c10b77eb60482162520d00e04af7b7524dd7088885b2231e05ce62062da'],
  [4, 45000, 0, '2fd071bcdce362c38e55b1a90f6ea0e56df41d1ed44f1ae1b8f3623e9a931dc9'],
  [5, 20000, 6, '6226120b5381fc67a297b2d6ead96cc5891f9a450da71a2c51540b6d2265429a'],
  [6, 60000, undefined, 'a2c668f48fae7bb9efb38554c76867328a09301770e694a12ef5e549360b2811'],
];

describe('maps diff read in lockstep', () => {
  it('gives, whole and in lockstep, what the diff gave before it merged as it read', () => {
    for (const [seed, rows, listLimit, recorded] of RECORDED) {
      const rnd = random(seed);
      const a = addressSpace(rnd, rows);
      const [before, after] = [text(a), text(later(rnd, a))];
      const options = listLimit === undefined ? {} : { listLimit };
      expect(digest(mapsDiffer.diff(before, after, options)), `seed ${seed}`).toBe(recorded);
      expect(digest(lockstep(before, after, random(seed + 100), options)), `seed ${seed} in lockstep`).toBe(recorded);
    }
  });

  it('gives what the whole diff gives, and each side the totals the parser reads, over large snapshots', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 9000, max: 30_000 }), fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }), (seed, rows, listLimit) => {
        const rnd = random(seed);
        const a = addressSpace(rnd, rows);
        const b = later(rnd, a);
        const [before, after] = [text(a), text(b)];
        const options = listLimit === undefined ? {} : { listLimit };
        const whole = mapsDiffer.diff(before, after, options);
        expect(whole.error).toBeUndefined();
        expect(lockstep(before, after, rnd, options)).toEqual(whole);
        for (const [side, input] of [
          ['before', before],
          ['after', after],
        ] as const) {
          const parsed = procMapsParser.parse(input).facts;
          expect(whole.facts).toMatchObject({
            [`mappings_${side}`]: parsed.mappings,
            [`glibc_arena_count_${side}`]: parsed.glibc_arena_count,
            [`glibc_arena_kb_${side}`]: parsed.glibc_arena_kb,
            [`go_arena_kb_${side}`]: parsed.go_arena_kb,
            [`anon_kb_${side}`]: parsed.anon_kb,
          });
        }
        expect(whole.facts.glibc_arena_count_before).toBeGreaterThan(0);
      }),
      { numRuns: 10 },
    );
  });

  it('a cluster spanning 20,000 rows of the other side (a reservation mapped piece by piece) is one change, read in lockstep as whole', () => {
    const base = 0x7f0000000000n;
    const pieces = 20_000;
    const reservation = `${base.toString(16)}-${(base + BigInt(pieces) * 8192n).toString(16)} ---p 00000000 00:00 0 \n`;
    // Each 8 KiB slot: a page of a file of its own, then a guard. The first path must survive
    // the rows dropped (and the path pool rebuilt) while the cluster is still open.
    const committed = Array.from({ length: pieces }, (_, k) => {
      const at = base + BigInt(k) * 8192n;
      return `${at.toString(16)}-${(at + 4096n).toString(16)} rw-s 00000000 00:05 ${k + 1}   /dev/shm/piece-${k}\n${(at + 4096n).toString(16)}-${(at + 8192n).toString(16)} ---p 00000000 00:00 0 \n`;
    }).join('');
    const whole = mapsDiffer.diff(reservation, committed);
    expect(whole.facts).toMatchObject({ grown_region_count: 1, new_region_count: 0, mappings_after: 2 * pieces, file_kb_delta: 4 * pieces });
    const grown = { start: '7f0000000000', end: (base + BigInt(pieces) * 8192n).toString(16), area: 'file', path: '/dev/shm/piece-0', before_kb: 0, after_kb: 4 * pieces, delta_kb: 4 * pieces };
    expect((whole.facts.grown_regions as Facts[])[0]).toEqual(grown);
    expect(lockstep(Buffer.from(reservation), Buffer.from(committed), random(3), {})).toEqual(whole);
  });

  it('refuses a snapshot out of address order, naming the side and the line', () => {
    const sorted = text(addressSpace(random(7), 50)).toString('utf8').split('\n');
    const swapped = [...sorted.slice(0, 9), sorted[10]!, sorted[9]!, ...sorted.slice(11)].join('\n');
    const result = mapsDiffer.diff(sorted.join('\n'), swapped);
    expect(result.error).toEqual({
      code: 'invalid',
      line: 11,
      message: 'after: line 11 starts below the mapping before it: /proc/PID/maps lists mappings in address order; give one unedited snapshot per file',
    });
    // An empty side is named first; the changes the merge saw before the bad line are not given.
    const empty = mapsDiffer.diff('', swapped);
    expect(empty.error).toMatchObject({ code: 'unrecognised-format', message: expect.stringMatching(/^before: no maps lines found/) });
    expect(empty.facts).toEqual({});
  });
});
