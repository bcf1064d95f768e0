// Reads /proc files whole, sequentially to EOF. /proc/PID/maps, smaps and friends are
// seq_files: the kernel generates them as they are read and one read() returns about one
// page (4 KiB) whatever the buffer size (measured: 4,095 of a 7,793-byte maps, 3,912 of a
// 46.5 MB smaps), so a single read() silently cut every maps file after ~60 lines. Reads
// continue from the file position (not pread at an offset, which makes the kernel walk the
// mappings again from the start); since Linux 4.x each read resumes after the last mapping
// printed, so a mapping is never torn, though the file as a whole is not one atomic view.
// fstat reports size 0, so the buffer grows as it fills, up to a bound.
import { closeSync, openSync, readSync } from 'node:fs';

/** Bounds of one file; a larger file is refused, not cut. */
export interface ProcReadBounds {
  initialBytes: number;
  maxBytes: number;
}

/** 64 MiB: a maps file near vm.max_map_count (65,530 lines × ~100 B) is ~7 MiB. */
const defaultBounds: ProcReadBounds = { initialBytes: 256 << 10, maxBytes: 64 << 20 };

export type ProcRead = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** Reads a /proc file whole; failures become a reason, never a throw. */
export function readProcFile(path: string, bounds: ProcReadBounds = defaultBounds): ProcRead {
  const { initialBytes, maxBytes } = bounds;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { ok: false, reason: describeProcError(path, error) };
  }
  try {
    let buffer = Buffer.allocUnsafe(Math.min(initialBytes, maxBytes + 1));
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (buffer.length > maxBytes) return { ok: false, reason: `${path} is larger than ${maxBytes >> 20} MiB` };
        const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 4, maxBytes + 1));
        buffer.copy(bigger, 0, 0, total);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, total, buffer.length - total, null);
      if (read === 0) return { ok: true, bytes: buffer.subarray(0, total) };
      total += read;
    }
  } catch (error) {
    return { ok: false, reason: describeProcError(path, error) };
  } finally {
    closeSync(fd);
  }
}

function describeProcError(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ESRCH':
      return `no such process: ${path} does not exist (the process exited or the pid is wrong)`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied reading ${path}: run as the process's user or root (ptrace access mode check)`;
    default:
      return `cannot read ${path}: ${(error as Error).message}`;
  }
}
