// A file read a chunk at a time through one reused buffer, for inputs of any size.
import { readSync } from 'node:fs';

/** Chunk size: large enough that a read costs little per line. */
export const CHUNK_BYTES = 2 ** 20;

/** Calls `sink` with each chunk of the open file `fd` from its current position to its end;
 *  the chunk's buffer is reused after the call. Read errors are thrown as they come. */
export function readFileChunks(fd: number, sink: (chunk: Buffer) => void): void {
  // Synchronous reads: nothing else runs meanwhile, and an await per chunk left the CPU idle.
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  for (let bytesRead = readSync(fd, buffer, 0, CHUNK_BYTES, null); bytesRead > 0; bytesRead = readSync(fd, buffer, 0, CHUNK_BYTES, null)) {
    sink(buffer.subarray(0, bytesRead));
  }
}
