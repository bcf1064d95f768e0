// Feeding a streaming parser or diff side its input in pieces, as the CLI does: each piece
// through a buffer overwritten after the write, so a reader that kept the bytes reads junk.
import fc from 'fast-check';
import { expect } from 'vitest';
import { isLockstep, type ParseResult, type StreamingDiffer } from '../../src/parsers/types.js';

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

/**
 * Feeds both sides of a diff that merges as it reads as it asks, the CLI's way with two files,
 * in pieces of `pieceSize()` bytes, each overwritten once written; the diff's result.
 */
export function feedInLockstep(differ: StreamingDiffer, before: Uint8Array, after: Uint8Array, pieceSize: () => number, options: Record<string, unknown> = {}): ParseResult {
  const stream = differ.stream(options);
  if (!isLockstep(stream)) throw new Error(`the ${differ.kind} diff does not merge in lockstep`);
  const bytes = { before, after };
  const at = { before: 0, after: 0 };
  const ended = { before: false, after: false };
  for (let side = stream.waitingFor(); side !== null; side = stream.waitingFor()) {
    if (ended[side]) throw new Error(`the diff asked for more of ${side} after its end`);
    const from = at[side];
    if (from >= bytes[side].length) {
      ended[side] = true;
      stream[side].end();
      continue;
    }
    const piece = Buffer.from(bytes[side].subarray(from, from + pieceSize()));
    stream[side].write(piece);
    piece.fill(0x41);
    at[side] = from + piece.length;
  }
  return stream.end();
}
