// Process groups the test helpers start (detached children): killed with the group, and
// SIGKILLed at exit if a test left one behind, so no service outlives its test run.
import type { ChildProcess } from 'node:child_process';

export const runningGroups = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of runningGroups) killGroup(child, 'SIGKILL');
});

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
