// Helpers for the exec tests: condition waits with deadlines and process-group checks
// made independently of the code under test.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Polls `condition` every 20 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Members of a process group as /proc shows them, with their state letter. */
export function groupMembers(pgid: number): Array<{ pid: number; state: string; command: string }> {
  const members = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue;
    }
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid) members.push({ pid: Number(entry), state: fields[0] ?? '?', command });
  }
  return members;
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
