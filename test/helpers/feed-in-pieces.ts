// Feeding a streaming parser or diff side its input in pieces, as the CLI does: each piece
// through a buffer overwritten after the write, so a reader that kept the bytes reads junk.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { StreamingDiffer } from '../../src/parsers/types.js';

/** Feeds `bytes` to `sink` in pieces ending at `cuts` (any order, duplicates allowed). */
export function feedInPieces(sink: { write(chunk: Uint8Array): void }, bytes: Uint8Array, cuts: number[]): void {
  let from = 0;
  for (const cut of [...cuts, bytes.length].sort((a, b) => a - b)) {
    const piece = Buffer.from(bytes.subarray(from, cut));
    sink.write(piece);
    piece.fill(0x41);
    from = cut;
  }
}

/** Every split of `bytes` (up to 12 cuts, `numRuns` of them) fed to a fresh stream ends in `whole`. */
export function expectEverySplit(open: () => { write(chunk: Uint8Array): void; end(): unknown }, bytes: Uint8Array, whole: unknown, numRuns = 20): void {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 }), (cuts) => {
      const stream = open();
      feedInPieces(stream, bytes, cuts);
      expect(stream.end()).toEqual(whole);
    }),
    { numRuns },
  );
}

/** Every split of each side fed to a fresh diff stream ends in `whole`. */
export function expectEveryDiffSplit(differ: StreamingDiffer, before: Uint8Array, after: Uint8Array, whole: unknown, numRuns = 25): void {
  const cutsOf = (bytes: Uint8Array) => fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 });
  fc.assert(
    fc.property(cutsOf(before), cutsOf(after), (beforeCuts, afterCuts) => {
      const stream = differ.stream();
      feedInPieces(stream.before, before, beforeCuts);
      feedInPieces(stream.after, after, afterCuts);
      expect(stream.end()).toEqual(whole);
    }),
    { numRuns },
  );
}
