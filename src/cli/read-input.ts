// FILE or `-` (stdin) → bytes, for `runbook parse` and `runbook diff`. Parsers take bytes,
// so nothing is decoded here.
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';

export interface InputSource {
  /** What messages call it: the path, or "stdin". */
  label: string;
  bytes: Uint8Array;
}

export async function readInput(path: string | undefined): Promise<InputSource> {
  // yargs 18 hands a string positional given as `-` over as '' (measured), so both mean stdin.
  if (path === undefined || path === '-' || path === '') {
    if (process.stdin.isTTY) {
      throw new UserError('no input: give a FILE, or pipe the text in and pass -', { hint: 'e.g. cat /proc/PID/maps | runbook parse proc-maps -' });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return { label: 'stdin', bytes: Buffer.concat(chunks) };
  }
  try {
    return { label: path, bytes: await readFile(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UserError(`cannot read ${path} (${code})`, { hint: 'check the path; pass - to read stdin' });
  }
}
