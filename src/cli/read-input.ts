// FILE or `-` (stdin) → bytes, for `runbook parse` and `runbook diff`. Parsers take bytes,
// so nothing is decoded here. A streaming parser is fed chunks through one reused buffer
// (any size, bounded memory); the others get the whole input, up to MAX_WHOLE_INPUT_BYTES,
// and a clear error beyond it (a larger buffer would only fail later, inside V8, with a stack).
import { closeSync, openSync, statSync } from 'node:fs';
import { UserError } from '../errors.js';
import { isLockstep, type DiffStream } from '../parsers/types.js';
import { CHUNK_BYTES, FileChunks } from '../util/file-chunks.js';

export interface InputSource {
  /** What messages call it: the path, or "stdin". */
  label: string;
  bytes: Uint8Array;
}

/** The most a parser that needs its whole input is handed: 256 MiB. */
export const MAX_WHOLE_INPUT_BYTES = 256 * 2 ** 20;

/** `reader` names who reads it in messages, e.g. "the proc-maps parser". */
export async function readInput(path: string | undefined, reader: string): Promise<InputSource> {
  // A file known to be too large is refused before its first byte is read.
  if (!isStdin(path) && sizeOf(path!) > MAX_WHOLE_INPUT_BYTES) throw tooLarge(path!, reader);
  // One buffer, doubled as needed: each chunk is one memcpy into it (copying chunks out and
  // concatenating them was ~10 % of `runbook diff maps`, profiled).
  let bytes = Buffer.allocUnsafe(CHUNK_BYTES);
  let size = 0;
  const label = await streamInput(path, (chunk) => {
    if (size + chunk.length > MAX_WHOLE_INPUT_BYTES) throw tooLarge(labelOf(path), reader);
    if (size + chunk.length > bytes.length) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_WHOLE_INPUT_BYTES, Math.max(2 * bytes.length, size + chunk.length)));
      bytes.copy(grown, 0, 0, size);
      bytes = grown;
    }
    bytes.set(chunk, size);
    size += chunk.length;
  });
  return { label, bytes: bytes.subarray(0, size) };
}

/** Calls `sink` with each chunk of the input (a buffer reused after the call); its label. */
export async function streamInput(path: string | undefined, sink: (chunk: Uint8Array) => void): Promise<string> {
  if (isStdin(path)) {
    if (process.stdin.isTTY) {
      throw new UserError('no input: give a FILE, or pipe the text in and pass -', { hint: 'e.g. cat /proc/PID/maps | runbook parse proc-maps -' });
    }
    for await (const chunk of process.stdin) sink(chunk as Buffer);
    return 'stdin';
  }
  const fd = openInput(path!);
  try {
    const chunks = new FileChunks(fd);
    for (let chunk = nextChunk(chunks, path!); chunk !== null; chunk = nextChunk(chunks, path!)) sink(chunk);
  } finally {
    closeSync(fd);
  }
  return path!;
}

/**
 * BEFORE and AFTER fed to `stream`; their labels. Two files and a diff that merges as it
 * reads (maps) are read in lockstep, each time from the side the merge waits for, so neither
 * is held whole; otherwise (stdin on one side) one after the other.
 */
export async function streamDiffInputs(beforePath: string, afterPath: string, stream: DiffStream): Promise<[string, string]> {
  if (isStdin(beforePath) || isStdin(afterPath) || !isLockstep(stream)) {
    const before = await streamInput(beforePath, (chunk) => stream.before.write(chunk));
    const after = await streamInput(afterPath, (chunk) => stream.after.write(chunk));
    return [before, after];
  }
  const fds: number[] = [];
  try {
    const open = (path: string) => {
      const fd = openInput(path);
      fds.push(fd);
      return { path, chunks: new FileChunks(fd), ended: false };
    };
    const sides = { before: open(beforePath), after: open(afterPath) };
    for (let waiting = stream.waitingFor(); waiting !== null; waiting = stream.waitingFor()) {
      const side = sides[waiting];
      // A bug in the diff, not the input: stopping here would diff the other file's first part.
      if (side.ended) throw new Error(`the ${waiting} file was read to its end, and the diff asks for more of it`);
      const chunk = nextChunk(side.chunks, side.path);
      if (chunk !== null) {
        stream[waiting].write(chunk);
      } else {
        side.ended = true;
        stream[waiting].end();
      }
    }
  } finally {
    for (const fd of fds) closeSync(fd);
  }
  return [beforePath, afterPath];
}

function openInput(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw cannotRead(path, error);
  }
}

/** Only a read fails as "cannot read": what the reader of the chunk throws is its own failure. */
function nextChunk(chunks: FileChunks, path: string): Buffer | null {
  try {
    return chunks.next();
  } catch (error) {
    throw cannotRead(path, error);
  }
}

// yargs 18 hands a string positional given as `-` over as '' (measured), so both mean stdin.
function isStdin(path: string | undefined): boolean {
  return path === undefined || path === '-' || path === '';
}

function cannotRead(path: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new UserError(`cannot read ${path} (${code})`, { hint: 'check the path; pass - to read stdin' });
}

/** A regular file's size; 0 for anything else or what cannot be read (reading it says why). */
function sizeOf(path: string): number {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.size : 0;
  } catch {
    return 0;
  }
}

function labelOf(path: string | undefined): string {
  return isStdin(path) ? 'stdin' : path!;
}

function tooLarge(label: string, reader: string): UserError {
  const mib = MAX_WHOLE_INPUT_BYTES / 2 ** 20;
  return new UserError(`${label} is larger than ${mib} MiB, the most ${reader} reads: it needs its whole input in memory`, {
    hint: `pass the part that matters (e.g. tail -c ${mib}M FILE | runbook … -); the line-based parsers (gctrace, proc-maps, goroutines, key-value, escape, …) and their diffs have no limit: docs/parsers.md § Inputs of any size`,
  });
}
