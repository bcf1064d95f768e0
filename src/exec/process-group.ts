// A step's process group: signal it, tell whether anything in it still runs, and
// terminate it (TERM, grace, KILL). Shared by the runner, the exit handlers and the
// watchdog so all three end a group the same way.
import { readdirSync, readFileSync } from 'node:fs';

export const DEFAULT_GRACE_MS = 2000;
const POLL_MS = 20;
/** After SIGKILL the kernel needs a moment to tear the processes down. */
const AFTER_KILL_WAIT_MS = 1000;

/** Sends `signal` to every process in the group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export interface GroupMember {
  pid: number;
  /** The /proc state letter: R, S, D, T, Z (zombie), … */
  state: string;
  command: string;
}

/** Every process of the group as /proc shows it, zombies included (Linux only). */
export function groupMembers(pgid: number): GroupMember[] {
  const members: GroupMember[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue; // exited while we looked
    }
    // The command name may itself contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    members.push({ pid: Number(entry), state: fields[0] ?? '?', command });
  }
  return members;
}

/**
 * Whether a member can still run. Zombies cannot: an orphaned member is reparented to
 * PID 1, and on the project's machine PID 1 (a firecracker init) never reaps, so
 * `kill(-pgid, 0)` keeps succeeding for a group of corpses.
 */
function canRun(member: GroupMember): boolean {
  return member.state !== 'Z' && member.state !== 'X';
}

/** True while some member of the group can still run. */
function groupIsAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true; // no /proc: a zombie counts as alive
  return groupMembers(pgid).some(canRun);
}

/** Polls until the group is gone or `timeoutMs` passes; resolves to whether it is gone. */
async function waitForGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!groupIsAlive(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** SIGTERM to the whole group, SIGKILL to whatever is left after `graceMs`. */
export async function terminateGroup(pgid: number, graceMs: number = DEFAULT_GRACE_MS): Promise<void> {
  if (!groupIsAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  // A stopped member only acts on TERM once continued.
  signalGroup(pgid, 'SIGCONT');
  if (await waitForGroupGone(pgid, graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  await waitForGroupGone(pgid, AFTER_KILL_WAIT_MS);
}
