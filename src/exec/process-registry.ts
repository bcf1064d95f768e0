// The live steps of this tool (process group and cookie), so that quitting ends them all:
// a front end that quits (quit-signals.ts) kills or terminates every group here before the
// tool exits (execa's own cleanup is off for detached children, reliability.md). kill -9 of
// the tool is the watchdog's job (watchdog.ts).
import { DEFAULT_GRACE_MS, signalGroup, terminateStep } from './process-group.js';
import { stepProcesses, type StepHandle } from './step-processes.js';
import { unwatchStep, watchStep } from './watchdog.js';

const liveSteps = new Map<number, StepHandle>();

/** Records a step that started, here and with the watchdog. */
export function registerStep(step: StepHandle): void {
  liveSteps.set(step.pgid, step);
  watchStep(step);
}

/** The step's processes have ended. */
export function unregisterStep(step: StepHandle): void {
  liveSteps.delete(step.pgid);
  unwatchStep(step);
}

/** Process group ids of the steps running now. */
export function liveGroupIds(): number[] {
  return [...liveSteps.keys()];
}

/** Sends `signal` at once to everything of every live step (a second Ctrl+C: no waiting). */
export function killAll(signal: NodeJS.Signals): void {
  for (const step of liveSteps.values()) {
    signalGroup(step.pgid, signal);
    for (const member of stepProcesses(step)) {
      try {
        process.kill(member.pid, signal);
      } catch {
        // gone already
      }
    }
  }
}

/** TERM every live step, KILL what is left after `graceMs`; resolves when all are gone. */
export async function terminateAll(graceMs: number = DEFAULT_GRACE_MS): Promise<void> {
  await Promise.all([...liveSteps.values()].map((step) => terminateStep(step, graceMs)));
}
