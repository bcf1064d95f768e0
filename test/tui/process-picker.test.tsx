// `runbook run RUNBOOK` without its `discover: go` pid: the TUI offers the Go processes of
// the session's host or target (the sources the home screen uses) and takes a typed pid too.
import './no-ci.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { GoProcess } from '../../src/collectors/discover.js';
import type { HomeSources } from '../../src/tui/home-sources.js';
import { journalRecords, sessionIds } from '../runner/tool.js';
import { fixtureRunbook, KEYS, startApp, type Harness } from './harness.js';

let app: Harness | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

// Sessions start only on a pid that exists (engine/check-pid.ts): the listed and typed pids are real.
const A = process.pid;
const W = process.ppid;
const api: GoProcess = { pid: A, name: 'api', cmdline: ['api'], go_version: 'go1.22.1', rss_kb: 10240, pprof: 'http://127.0.0.1:6060' };
const worker: GoProcess = { pid: W, name: 'worker', cmdline: ['worker'], go_version: 'go1.21.0', rss_kb: null, pprof: null };

function sources(processes: GoProcess[] | Error, where = 'this host'): HomeSources {
  return {
    where,
    processes: async () => {
      if (processes instanceof Error) throw processes;
      return { processes, failures: [], warnings: [] };
    },
    examples: async () => [],
    runbooks: async () => [],
    sessions: async () => [],
  };
}

async function startPicking(home: HomeSources, runbookId = 'pick-process', vars: Record<string, string> = {}): Promise<Harness> {
  const runbook = await fixtureRunbook(runbookId);
  return startApp({ kind: 'session', request: { kind: 'new', runbook, vars } }, home);
}

/** The session opened with the pid: its first step waits for Enter, its journal has the input. */
async function pickedPid(harness: Harness): Promise<unknown> {
  await harness.waitForFrame('Enter runs this step');
  const started = journalRecords(harness.stateDir, sessionIds(harness.stateDir)[0]!).find((r) => r.type === 'session.started') as { inputs: Record<string, unknown> };
  return started.inputs.pid;
}

describe('process picker for a discover: go pid', () => {
  it('lists the Go processes of the session’s target and starts with the one chosen', async () => {
    app = await startPicking(sources([api, worker], 'ssh://deploy@app-1'));
    const picker = await app.waitForFrame(`${W} worker`);
    expect(picker).toContain('The runbook needs Which process?: a Go process on ssh://deploy@app-1');
    expect(picker).toMatch(new RegExp(`❯ ${A} api +go1\\.22\\.1 · RSS 10\\.0 MiB · pprof http://127\\.0\\.0\\.1:6060`));
    expect(picker).toMatch(new RegExp(` {2}${W} worker +go1\\.21\\.0 · no pprof`));
    app.press(KEYS.down);
    await app.waitForFrame(`❯ ${W} worker`);
    app.press(KEYS.enter);
    expect(await pickedPid(app)).toBe(W);
  });

  it('takes a typed pid instead, checked like any input', async () => {
    app = await startPicking(sources([api]));
    await app.waitForFrame(`❯ ${A} api`);
    app.press(`${W}x`);
    await app.waitForFrame(`or type a pid: ${W}x▏`);
    expect(app.frame()).not.toContain(`❯ ${A}`);
    app.press(KEYS.enter);
    await app.waitForFrame('is not a process id');
    app.press('\u007f');
    await app.waitForFrame(`or type a pid: ${W}▏`);
    app.press(KEYS.enter);
    expect(await pickedPid(app)).toBe(W);
  });

  it('takes a pid and Enter typed ahead in one read as the pid, then Enter', async () => {
    app = await startPicking(sources([api]));
    await app.waitForFrame(`❯ ${A} api`);
    app.press(`${W}\r`); // one stdin chunk, as a fast typist's keys arrive
    expect(await pickedPid(app)).toBe(W);
  });

  it('says why no process could be listed, and a typed pid still works', async () => {
    app = await startPicking(sources(new Error('reading files on ssh://app-1: exit 255: ssh: connect to host app-1 port 22: Connection refused'), 'ssh://app-1'));
    await app.waitForFrame('Cannot list Go processes on ssh://app-1: reading files on ssh://app-1: exit 255');
    app.press(KEYS.enter);
    await app.waitForFrame('type a pid');
    app.press(String(W), KEYS.enter);
    expect(await pickedPid(app)).toBe(W);
  });

  it('looks the pid up on the target a runbook input names, not where the home screen lists', async () => {
    // Nothing listens on port 1: the real remote listing fails there, and says so.
    app = await startPicking(sources([api]), 'pick-remote-process', { target: 'ssh://127.0.0.1:1' });
    await app.waitForFrame('a Go process on ssh://127.0.0.1:1', 30_000);
    await app.waitForFrame(/Cannot list Go processes on ssh:\/\/127\.0\.0\.1:1: reading files on ssh:\/\/127\.0\.0\.1:1: [^]*refused/, 30_000);
    expect(app.frame()).not.toContain(`${A} api`);
    app.press(String(W), KEYS.enter);
    // The typed pid is checked on that target too, before any session starts: unreachable, it says so.
    await app.waitForFrame(new RegExp(`pid ${W} on ssh://127\\.0\\.0\\.1:1: [^]*refused`), 30_000);
  }, 60_000);
});
