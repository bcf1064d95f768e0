// Ending a step: its process group and every process carrying its cookie
// (step-processes.ts) get TERM, a grace, then KILL; what still runs after that is
// returned as survivors. Shared by the runner, the exit handlers and the watchdog so
// all three end a step the same way.
import { allProcesses, canRun, StepScanner, type StepHandle, type StepProcess } from './step-processes.js';

export const DEFAULT_GRACE_MS = 2000;
const POLL_MS = 25;
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

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}

/** Every process of the group as /proc shows it, zombies included (Linux only). */
export function groupMembers(pgid: number): StepProcess[] {
  return allProcesses()
    .filter((stat) => stat.pgrp === pgid)
    .map(({ pid, state, command }) => ({ pid, state, command }));
}

/** What of the step can still run. Without /proc only the group can be asked, and a
 *  zombie counts as alive there. */
function running(step: StepHandle, scanner: StepScanner): StepProcess[] {
  if (process.platform !== 'linux') return signalGroup(step.pgid, 0) ? [{ pid: step.pgid, state: '?', command: '?' }] : [];
  return scanner.scan().filter(canRun);
}

/** Sends `signal` to the group and to each process of `alive` and found while it waits
 *  (a process forked meanwhile gets it too); resolves to what still runs after `timeoutMs`. */
async function signalUntilGone(step: StepHandle, scanner: StepScanner, alive: StepProcess[], signal: NodeJS.Signals, timeoutMs: number): Promise<StepProcess[]> {
  const signalled = new Set<number>();
  const deadline = Date.now() + timeoutMs;
  signalGroup(step.pgid, signal);
  if (signal === 'SIGTERM') signalGroup(step.pgid, 'SIGCONT');
  for (;; alive = running(step, scanner)) {
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    for (const member of alive) {
      if (signalled.has(member.pid)) continue;
      signalled.add(member.pid);
      signalProcess(member.pid, signal);
      // A stopped process only acts on TERM once continued.
      if (signal === 'SIGTERM') signalProcess(member.pid, 'SIGCONT');
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** TERM to everything of the step, KILL to whatever is left after `graceMs`; resolves
 *  to the processes still running after that (none, unless one cannot be killed). */
export async function terminateStep(step: StepHandle, graceMs: number = DEFAULT_GRACE_MS): Promise<StepProcess[]> {
  // Listed before the group is signalled: a child that cleared its environment is found
  // only through its parent, which the group signal may end first.
  const scanner = new StepScanner(step);
  const alive = running(step, scanner);
  if (alive.length === 0) return [];
  const left = await signalUntilGone(step, scanner, alive, 'SIGTERM', graceMs);
  return left.length === 0 ? [] : signalUntilGone(step, scanner, left, 'SIGKILL', AFTER_KILL_WAIT_MS);
}
