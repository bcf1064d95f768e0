// The live steps of this tool (process group and cookie), so that quitting ends them all. Front ends
// call installExitHandlers() once: SIGINT, SIGTERM and SIGHUP of the tool then
// terminate every group before the tool exits (execa's own cleanup is off for detached
// children, reliability.md). kill -9 of the tool is the watchdog's job (watchdog.ts).
import { constants } from 'node:os';
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

const QUIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * On SIGINT, SIGTERM or SIGHUP of the tool: terminate every step group, then exit with
 * 128 + the signal number (130, 143, 129). A second signal while waiting sends SIGKILL
 * and exits at once. Returns a function that removes the handlers.
 */
export function installExitHandlers(graceMs: number = DEFAULT_GRACE_MS): () => void {
  let quitting = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    const exitCode = 128 + constants.signals[signal];
    if (quitting) {
      killAll('SIGKILL');
      process.exit(exitCode);
    }
    quitting = true;
    void terminateAll(graceMs).finally(() => process.exit(exitCode));
  };
  for (const signal of QUIT_SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of QUIT_SIGNALS) process.off(signal, onSignal);
  };
}
