// A file read a chunk at a time through one reused buffer, for inputs of any size.
import { readSync } from 'node:fs';

/** Chunk size: large enough that a read costs little per line. */
export const CHUNK_BYTES = 2 ** 20;

/** The open file `fd` from its current position, a chunk per `next()`; the chunk's buffer is
 *  reused by the next call. Read errors are thrown as they come. */
export class FileChunks {
  private readonly buffer = Buffer.allocUnsafe(CHUNK_BYTES);

  constructor(private readonly fd: number) {}

  /** The next chunk, or null at the end of the file. */
  next(): Buffer | null {
    // Synchronous reads: nothing else runs meanwhile, and an await per chunk left the CPU idle.
    const bytesRead = readSync(this.fd, this.buffer, 0, CHUNK_BYTES, null);
    return bytesRead > 0 ? this.buffer.subarray(0, bytesRead) : null;
  }
}

/** Calls `sink` with each chunk of the open file `fd` from its current position to its end;
 *  the chunk's buffer is reused after the call. Read errors are thrown as they come. */
export function readFileChunks(fd: number, sink: (chunk: Buffer) => void): void {
  const chunks = new FileChunks(fd);
  for (let chunk = chunks.next(); chunk !== null; chunk = chunks.next()) sink(chunk);
}
