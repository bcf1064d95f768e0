// Loads a runbook file: refuses oversized files before reading them whole, then
// validates (validate.ts). `loadRunbookFile` reports problems as values (validate,
// list); `loadRunbook` throws a UserError listing them (run).
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { formatProblem, type Problem } from './problem.js';
import { MAX_RUNBOOK_BYTES } from './safe-yaml.js';
import type { Runbook } from './types.js';
import { validateRunbookSource, type LoadResult } from './validate.js';

export type { LoadResult };

export async function loadRunbookFile(path: string): Promise<LoadResult> {
  const read = await readRunbookBytes(path, 'runbook');
  if ('problem' in read) return { problems: [read.problem] };
  const { bytes } = read;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return validateRunbookSource(text, {
    displayName: path,
    absolutePath: resolve(path),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
}

/** A runbook-format file's bytes, size-bounded before it is read whole; what went wrong as a problem at 1:1. */
export async function readRunbookBytes(path: string, what: string): Promise<{ bytes: Buffer } | { problem: Problem }> {
  const fileProblem = (message: string) => ({ problem: { file: path, line: 1, col: 1, message } });
  try {
    // stat before open: opening a FIFO (or /dev/stdin) would wait for a writer forever.
    if (!(await stat(path)).isFile()) return fileProblem('not a regular file');
    const handle = await open(path, 'r');
    try {
      const stats = await handle.stat();
      if (stats.size > MAX_RUNBOOK_BYTES) {
        return fileProblem(`file is ${stats.size} bytes; ${what}s are limited to ${MAX_RUNBOOK_BYTES} bytes (1 MiB), so it is refused unread`);
      }
      // Read at most one byte past the cap: a file that grows after stat() is still bounded.
      const buffer = Buffer.alloc(MAX_RUNBOOK_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_RUNBOOK_BYTES) return fileProblem(`file is over ${MAX_RUNBOOK_BYTES} bytes (1 MiB); refused`);
      return { bytes: buffer.subarray(0, bytesRead) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    return fileProblem(`cannot read ${what}: ${reason}`);
  }
}

export async function loadRunbook(path: string): Promise<Runbook> {
  const { runbook, problems } = await loadRunbookFile(path);
  if (runbook !== undefined) return runbook;
  throw new UserError(`${path} is not a valid runbook:\n${problems.map(formatProblem).join('\n')}`, {
    hint: `fix the problems above; runbook validate ${path} re-checks it`,
  });
}

export type { Problem };
