// Feeding a streaming parser or diff side its input in pieces, as the CLI does: each piece
// through a buffer overwritten after the write, so a reader that kept the bytes reads junk.

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
