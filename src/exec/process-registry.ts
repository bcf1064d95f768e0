// The live step process groups of this tool, so that quitting ends them all. Front ends
// call installExitHandlers() once: SIGINT, SIGTERM and SIGHUP of the tool then
// terminate every group before the tool exits (execa's own cleanup is off for detached
// children, reliability.md). kill -9 of the tool is the watchdog's job (watchdog.ts).
import { constants } from 'node:os';
import { DEFAULT_GRACE_MS, signalGroup, terminateGroup } from './process-group.js';
import { unwatchGroup, watchGroup } from './watchdog.js';

const liveGroups = new Set<number>();

/** Records a step's new group, here and with the watchdog. */
export function registerGroup(pgid: number): void {
  liveGroups.add(pgid);
  watchGroup(pgid);
}

/** The group has ended. */
export function unregisterGroup(pgid: number): void {
  liveGroups.delete(pgid);
  unwatchGroup(pgid);
}

/** Process group ids of the steps running now. */
export function liveGroupIds(): number[] {
  return [...liveGroups];
}

/** Sends `signal` to every live step group at once. */
export function killAll(signal: NodeJS.Signals): void {
  for (const pgid of liveGroups) signalGroup(pgid, signal);
}

/** TERM every live group, KILL what is left after `graceMs`; resolves when all are gone. */
export async function terminateAll(graceMs: number = DEFAULT_GRACE_MS): Promise<void> {
  await Promise.all([...liveGroups].map((pgid) => terminateGroup(pgid, graceMs)));
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
