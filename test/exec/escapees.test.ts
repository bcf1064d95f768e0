// Processes that leave the step's process group still end with it (issue 17, item 2):
// `timeout` (setpgid), `setsid`, a double-forking daemon, `nohup … &`, found by the
// step's environment cookie. Each test starts a sleep with a duration no other test uses
// and looks for it by command line in /proc afterwards. Real processes throughout.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from './built.js';
import { freshDir, processIsGone, waitFor } from './helpers.js';
import { startTool } from './tool-process.js';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';

/** Running (not zombie) processes whose command line is exactly `sleep <seconds>`. */
function sleepers(seconds: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1') === `sleep\0${seconds}\0` && !processIsGone(Number(entry))) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

const leftovers: string[] = [];
afterEach(() => {
  // A failed assertion must not leave the sleeps behind.
  for (const seconds of leftovers.splice(0)) for (const pid of sleepers(seconds)) process.kill(pid, 'SIGKILL');
});

function artifacts(): { stdoutPath: string; stderrPath: string } {
  const dir = freshDir();
  return { stdoutPath: join(dir, 'stdout'), stderrPath: join(dir, 'stderr') };
}

/** Starts `script`, waits until `sleep <seconds>` runs, cancels, and returns the result. */
async function cancelOnceSleeping(script: string, seconds: string) {
  leftovers.push(seconds);
  const controller = new AbortController();
  const running = runProcess({ argv: ['sh', '-c', script], ...artifacts(), signal: controller.signal, graceMs: 500 });
  await waitFor(() => sleepers(seconds).length > 0, 10_000, `sleep ${seconds} to start`);
  controller.abort();
  return running;
}

describe('cancel ends processes that left the group', () => {
  const escapes: Array<[string, string, string]> = [
    ['timeout (its own process group)', 'timeout 60 sleep 301 & wait', '301'],
    ['setsid (a new session)', 'setsid sleep 302 & wait', '302'],
    ['a double-forking daemon (reparented to init, new session)', '(setsid sh -c "sleep 303 & exit" &); sleep 60', '303'],
    ['nohup in the background', 'nohup setsid sleep 304 >/dev/null 2>&1 & wait', '304'],
  ];
  for (const [how, script, seconds] of escapes) {
    it(how, async () => {
      const result = await cancelOnceSleeping(script, seconds);
      expect(result.cancelled).toBe(true);
      expect(sleepers(seconds)).toEqual([]);
      expect(result.survivors).toBeUndefined();
    }, 30_000);
  }

  it('a timeout ends them too', async () => {
    leftovers.push('305');
    const result = await runProcess({ argv: ['sh', '-c', 'timeout 60 sleep 305 & setsid sleep 305 & wait'], ...artifacts(), timeoutMs: 1000, graceMs: 500 });
    expect(result.timedOut).toBe(true);
    expect(sleepers('305')).toEqual([]);
  }, 30_000);

  it('a step that exits normally takes its daemons with it', async () => {
    leftovers.push('306');
    const result = await runProcess({ argv: ['sh', '-c', '(setsid sleep 306 </dev/null >/dev/null 2>&1 &); echo started'], ...artifacts(), graceMs: 500 });
    expect(result.exitCode).toBe(0);
    expect(sleepers('306')).toEqual([]);
  }, 30_000);

  it('a child that cleared its environment is found while its parent is a member', async () => {
    const result = await cancelOnceSleeping('setsid env -i sleep 307 & wait', '307');
    expect(result.cancelled).toBe(true);
    expect(sleepers('307')).toEqual([]);
  }, 30_000);

  it('what still escapes (docs/processes.md): cleared environment, new session, parent gone', async () => {
    const result = await cancelOnceSleeping('(setsid env -i sleep 308 </dev/null >/dev/null 2>&1 &); sleep 60', '308');
    expect(result.cancelled).toBe(true);
    // Neither group, cookie nor parentage leads to it: it runs on, and is not claimed as a
    // survivor either (the tool cannot know of it).
    expect(sleepers('308')).toHaveLength(1);
    expect(result.survivors).toBeUndefined();
  }, 30_000);
});

describe('survivors are reported, not hidden', () => {
  // A frozen process (cgroup v1 freezer) cannot act on SIGKILL until thawed: a real
  // process the tool cannot end.
  const freezer = '/sys/fs/cgroup/freezer';
  const canFreeze = existsSync(join(freezer, 'cgroup.procs')) && process.getuid?.() === 0;

  it.skipIf(!canFreeze)('a process that outlives KILL is in ExecResult.survivors', async () => {
    const group = join(freezer, `runbook-test-${process.pid}`);
    mkdirSync(group);
    leftovers.push('309');
    try {
      const controller = new AbortController();
      const running = runProcess({ argv: ['sh', '-c', 'setsid sleep 309 & wait'], ...artifacts(), signal: controller.signal, graceMs: 300 });
      await waitFor(() => sleepers('309').length === 1, 10_000, 'sleep 309 to start');
      const [pid] = sleepers('309');
      writeFileSync(join(group, 'cgroup.procs'), String(pid));
      writeFileSync(join(group, 'freezer.state'), 'FROZEN');
      await waitFor(() => readFileSync(join(group, 'freezer.state'), 'utf8').trim() === 'FROZEN', 5000, 'the freeze');
      controller.abort();
      const result = await running;
      expect(result.survivors).toEqual([expect.objectContaining({ pid, command: 'sleep' })]);
      writeFileSync(join(group, 'freezer.state'), 'THAWED');
      // The KILL it got is acted on once it runs again.
      await waitFor(() => processIsGone(pid!), 5000, 'the thawed sleep to die');
    } finally {
      writeFileSync(join(group, 'freezer.state'), 'THAWED');
      for (const seconds of ['309']) for (const pid of sleepers(seconds)) process.kill(pid, 'SIGKILL');
      await waitFor(() => readFileSync(join(group, 'cgroup.procs'), 'utf8').trim() === '', 5000, 'the freezer group to empty');
      rmdirSync(group);
    }
  }, 30_000);
});

describe('kill -9 of the tool', () => {
  it('the watchdog ends the processes that left the group too', async () => {
    leftovers.push('310');
    const tool = startTool(['sh', '-c', 'setsid sleep 310 & timeout 60 sleep 310 & wait']);
    await tool.started;
    await waitFor(() => sleepers('310').length === 2, 10_000, 'both sleeps to start');
    tool.child.kill('SIGKILL');
    await tool.exited;
    await waitFor(() => sleepers('310').length === 0, 10_000, 'the watchdog to end both sleeps');
  }, 30_000);
});

describe('the built CLI', () => {
  it('a step that times out leaves none of its processes running when runbook exits', async () => {
    leftovers.push('311');
    const state = freshDir();
    const runbook = fileURLToPath(new URL('../fixtures/runbooks-hardening/escape.yaml', import.meta.url));
    const run = await runCli(['run', runbook, '--non-interactive'], { env: { RUNBOOK_STATE_DIR: state } });
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toContain('timed out after 1000 ms');
    expect(sleepers('311')).toEqual([]);
  }, 30_000);
});
