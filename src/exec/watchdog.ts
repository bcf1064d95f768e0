// The tool's side of the watchdog: a small node process, started lazily with the first
// step, in its own session (detached), whose stdin is a pipe from the tool. The tool
// reports each step's process group over the pipe; when the tool dies, however it dies,
// the kernel closes the pipe and the watchdog ends the groups still registered.
// Why: with `detached: true` execa's cleanup is off and no in-process handler runs on
// SIGKILL; this was the only arrangement that left 0 survivors after `kill -9` of the
// tool (reliability.md, "Child processes").
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DEFAULT_GRACE_MS } from './process-group.js';
import type { StepHandle } from './step-processes.js';

const watchdogMain = fileURLToPath(new URL('./watchdog-main.js', import.meta.url));

let watchdog: ChildProcess | undefined;
/** Steps reported so far, replayed to a restarted watchdog if the first one died. */
const watched = new Map<number, StepHandle>();

/** One line of the pipe protocol: `+PGID COOKIE STARTTIME`. */
function added(step: StepHandle): string {
  return `+${step.pgid} ${step.cookie} ${step.startTime}\n`;
}

function startWatchdog(): ChildProcess {
  const child = spawn(process.execPath, [watchdogMain, String(DEFAULT_GRACE_MS)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Neither the process nor the pipe may keep the tool's event loop alive; when the
  // tool exits the pipe closes and the watchdog, finding no groups left, exits too.
  child.unref();
  child.stdin?.on('error', () => {});
  // A write still pending (a watchdog that stopped reading) would otherwise hold the
  // tool open. The pipe is a net.Socket at run time, though typed as a Writable.
  (child.stdin as Socket | null)?.unref();
  child.on('error', () => {
    if (watchdog === child) watchdog = undefined;
  });
  child.once('exit', () => {
    if (watchdog === child) watchdog = undefined;
  });
  return child;
}

/** Asks the watchdog to end the step if the tool dies before the step is over. */
export function watchStep(step: StepHandle): void {
  watched.set(step.pgid, step);
  if (watchdog) {
    watchdog.stdin?.write(added(step));
    return;
  }
  watchdog = startWatchdog();
  watchdog.stdin?.write([...watched.values()].map(added).join(''));
}

/** The step's processes are gone: the watchdog must forget it (pids get reused). */
export function unwatchStep(step: StepHandle): void {
  watched.delete(step.pgid);
  watchdog?.stdin?.write(`-${step.pgid}\n`);
}

/** Pid of the running watchdog, if one was started (for tests and diagnostics). */
export function watchdogPid(): number | undefined {
  return watchdog?.pid;
}
