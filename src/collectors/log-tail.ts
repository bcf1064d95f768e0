// Reads at most the last `maxBytes` of a log file, starting at a line boundary, so a
// gctrace log that grew for days neither blows the tool's memory nor yields half a line.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export type LogRead = { ok: true; bytes: Buffer } | { ok: false; reason: string };

export function readLogTail(path: string, maxBytes: number): LogRead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { ok: false, reason: `cannot read ${path}: ${(error as Error).message}` };
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    let filled = 0;
    while (filled < buffer.length) {
      const read = readSync(fd, buffer, filled, buffer.length - filled, start + filled);
      if (read === 0) break;
      filled += read;
    }
    const bytes = buffer.subarray(0, filled);
    if (start === 0) return { ok: true, bytes };
    const firstNewline = bytes.indexOf(0x0a);
    return { ok: true, bytes: firstNewline < 0 ? bytes : bytes.subarray(firstNewline + 1) };
  } catch (error) {
    return { ok: false, reason: `cannot read ${path}: ${(error as Error).message}` };
  } finally {
    closeSync(fd);
  }
}
