// Helpers for the exec tests: condition waits with deadlines and process-group checks
// (kill(-pgid, 0) plus the /proc listing).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupMembers } from '../../src/exec/process-group.js';

/** Polls `condition` every 20 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * True when nothing in the group can run any more: `kill(-pgid, 0)` says ESRCH, or every
 * member left is a zombie. (PID 1 on the project's machine never reaps orphans, so a
 * killed pipeline's members stay as zombies; on a normal init they vanish and ESRCH holds.)
 */
export function groupIsGone(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return groupMembers(pgid).every((member) => member.state === 'Z');
}

/** True when `pid` no longer exists or is only a zombie. */
export function processIsGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'runbook-exec-'));
}
