// Reads /proc files in ONE read() each. /proc/PID/maps and friends are generated per
// read call: reading in pieces can show a torn view (a mapping split or repeated across
// chunks while the process changes its mappings), and fstat reports size 0, so we read
// from offset 0 into a buffer large enough for the whole file and, when it came back
// full, retry with a bigger one (domain.md, "Read in one read()").
import { closeSync, openSync, readSync } from 'node:fs';

const initialBytes = 256 << 10;
/** 64 MiB: a maps file near vm.max_map_count (65,530 lines × ~100 B) is ~7 MiB. */
const maxBytes = 64 << 20;

export type ProcRead = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** Reads a /proc file whole in one read(); failures become a reason, never a throw. */
export function readProcFile(path: string): ProcRead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { ok: false, reason: describeProcError(path, error) };
  }
  try {
    for (let size = initialBytes; size <= maxBytes; size *= 4) {
      const buffer = Buffer.allocUnsafe(size);
      const read = readSync(fd, buffer, 0, size, 0);
      if (read < size) return { ok: true, bytes: buffer.subarray(0, read) };
    }
    return { ok: false, reason: `${path} is larger than ${maxBytes >> 20} MiB` };
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
