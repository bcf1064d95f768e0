// Nothing a step started survives the tool: not kill -9 (the watchdog), and the watchdog
// itself does not outlive a tool that exits normally. SIGTERM, SIGHUP and SIGINT are the
// front ends' (exec/quit-signals.ts): test/runner/cli-run.test.ts sends each to the real
// binary mid-step.
import { afterEach, describe, expect, it } from 'vitest';
import { groupMembers } from '../../src/exec/process-group.js';
import { groupIsGone, processIsGone, waitFor } from './helpers.js';
import { startTool } from './tool-process.js';

describe('a step does not outlive the tool', () => {
  // When an assertion fails, do not leave the test's own processes behind.
  const started: number[] = [];
  afterEach(() => {
    for (const pgid of started.splice(0)) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone: the expected case
      }
    }
  });

  it('kill -9 of the tool: the watchdog ends the group and then itself', async () => {
    const tool = startTool(['sh', '-c', 'sleep 300 | cat']);
    const { started: pgid, watchdog } = await tool.started;
    started.push(pgid, watchdog);
    await waitFor(() => groupMembers(pgid).filter((m) => m.command === 'sleep').length === 1, 5000, 'sleep to start');
    tool.child.kill('SIGKILL');
    const exit = await tool.exited;
    expect(exit.signal).toBe('SIGKILL');
    await waitFor(() => groupIsGone(pgid), 5000, `group ${pgid} to be gone`);
    await waitFor(() => processIsGone(watchdog), 5000, `watchdog ${watchdog} to exit`);
  });

  it('a tool that finishes normally exits on its own and takes the watchdog with it', async () => {
    const tool = startTool(['sh', '-c', 'echo done']);
    const { watchdog } = await tool.started;
    const exit = await tool.exited;
    expect(exit.code).toBe(0);
    expect(exit.lines.at(-1)).toMatchObject({ result: { exitCode: 0 } });
    await waitFor(() => processIsGone(watchdog), 5000, `watchdog ${watchdog} to exit`);
  });
});
