// A process named by pid and start time. A pid alone is reused once its process exits:
// a lock or a registry that kept only the pid would take an unrelated process for the
// one that wrote it. The start time (field 22 of /proc/PID/stat, clock ticks since boot)
// tells them apart.
import { readProcStat } from './proc-stat.js';

/** The start time of `pid` as /proc shows it, or null (no such process, or no /proc). */
export function processStartTime(pid: number): string | null {
  return readProcStat(pid)?.startTime ?? null;
}

/** Whether `pid` runs and, when `startTime` is known, is the process that had it. */
export function isSameProcess(pid: number, startTime: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive but someone else's.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (startTime === undefined) return true;
  const now = processStartTime(pid);
  // No /proc (not Linux): the pid is all there is to go on.
  return now === null ? process.platform !== 'linux' : now === startTime;
}
