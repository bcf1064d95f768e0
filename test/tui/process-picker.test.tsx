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

const api: GoProcess = { pid: 4242, name: 'api', cmdline: ['api'], go_version: 'go1.22.1', rss_kb: 10240, pprof: 'http://127.0.0.1:6060' };
const worker: GoProcess = { pid: 4343, name: 'worker', cmdline: ['worker'], go_version: 'go1.21.0', rss_kb: null, pprof: null };

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
    const picker = await app.waitForFrame('4343 worker');
    expect(picker).toContain('The runbook needs Which process?: a Go process on ssh://deploy@app-1');
    expect(picker).toMatch(/❯ 4242 api +go1\.22\.1 · RSS 10\.0 MiB · pprof http:\/\/127\.0\.0\.1:6060/);
    expect(picker).toMatch(/ {2}4343 worker +go1\.21\.0 · no pprof/);
    app.press(KEYS.down);
    await app.waitForFrame(/❯ 4343 worker/);
    app.press(KEYS.enter);
    expect(await pickedPid(app)).toBe(4343);
  });

  it('takes a typed pid instead, checked like any input', async () => {
    app = await startPicking(sources([api]));
    await app.waitForFrame('❯ 4242 api');
    app.press('12x');
    await app.waitForFrame('or type a pid: 12x▏');
    expect(app.frame()).not.toContain('❯ 4242');
    app.press(KEYS.enter);
    await app.waitForFrame('is not a process id');
    app.press('\u007f');
    await app.waitForFrame('or type a pid: 12▏');
    app.press(KEYS.enter);
    expect(await pickedPid(app)).toBe(12);
  });

  it('says why no process could be listed, and a typed pid still works', async () => {
    app = await startPicking(sources(new Error('reading files on ssh://app-1: exit 255: ssh: connect to host app-1 port 22: Connection refused'), 'ssh://app-1'));
    await app.waitForFrame('Cannot list Go processes on ssh://app-1: reading files on ssh://app-1: exit 255');
    app.press(KEYS.enter);
    await app.waitForFrame('type a pid');
    app.press('77', KEYS.enter);
    expect(await pickedPid(app)).toBe(77);
  });

  it('looks the pid up on the target a runbook input names, not where the home screen lists', async () => {
    // Nothing listens on port 1: the real remote listing fails there, and says so.
    app = await startPicking(sources([api]), 'pick-remote-process', { target: 'ssh://127.0.0.1:1' });
    await app.waitForFrame('a Go process on ssh://127.0.0.1:1', 30_000);
    await app.waitForFrame(/Cannot list Go processes on ssh:\/\/127\.0\.0\.1:1: reading files on ssh:\/\/127\.0\.0\.1:1: [^]*refused/, 30_000);
    expect(app.frame()).not.toContain('4242 api');
    app.press('77', KEYS.enter);
    expect(await pickedPid(app)).toBe(77);
  }, 60_000);
});
