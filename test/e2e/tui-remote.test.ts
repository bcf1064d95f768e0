// `runbook --target ssh://…` in a real terminal (tmux) against a real sshd on loopback and
// the real Go test service: the home screen lists the target's Go processes, picking one
// fills the runbook's pid and pprof inputs with what the target sees, and the session's
// snapshots are read through the transport, pprof included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StepFinishedRecord } from '../../src/journal/records.js';
import { SSH_CONFIG_ENV } from '../../src/targets/transport.js';
import { goServiceSkipReason, startGoService, type GoService } from '../helpers/go-service.js';
import { journalRecords, sessionIds } from '../runner/tool.js';
import { startLoopbackSshd, type LoopbackSshd } from '../targets/loopback-sshd.js';
import { cursorLine, enterUntil, hasTmux, moveCursorTo, openTerminal, type TerminalRun } from './tmux.js';

const runbooks = fileURLToPath(new URL('../fixtures/targets/', import.meta.url));
const skipReason = !hasTmux() ? 'no tmux' : goServiceSkipReason;

describe.skipIf(skipReason !== undefined)(`the TUI on a remote target${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let sshd: LoopbackSshd;
  let service: GoService;
  let term: TerminalRun | undefined;
  beforeAll(async () => {
    [sshd, service] = await Promise.all([startLoopbackSshd(), startGoService('go-heap')]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([sshd?.stop(), service?.stop()]);
  });
  afterEach(() => {
    term?.kill();
    term = undefined;
  });

  it('picks a process on the target from the home screen and snapshots it through ssh', async () => {
    const state = mkdtempSync(join(tmpdir(), 'runbook-e2e-state-'));
    term = openTerminal(['--target', sshd.url], { RUNBOOK_PATH: runbooks, RUNBOOK_STATE_DIR: state, [SSH_CONFIG_ENV]: sshd.sshConfig }, { columns: 120, rows: 40 });
    await term.waitFor(`Go processes on ${sshd.url}`, 60_000);
    await term.waitFor((screen) => !screen.includes('looking for'), 60_000);
    expect(term.screen()).toContain(`Runbooks (run against ${sshd.url})`);
    // The far side is this machine: other tests' Go services may be listed too.
    await moveCursorTo(term, `❯ ${service.pid} `);
    expect(cursorLine(term.screen())).toContain(`pprof ${service.url}`);
    term.keys('Enter');
    await term.waitFor(`Which runbook for process ${service.pid}?`);
    await moveCursorTo(term, '❯ remote-snapshot ', 10);
    term.keys('Enter');
    const form = await term.waitFor('Inputs (Enter keeps the value shown)');
    expect(form).toContain(String(service.pid));
    expect(form).toContain(service.url);
    term.keys('Enter');
    await term.waitFor(service.url);
    term.keys('Enter');
    await term.waitFor('Enter runs this step');
    expect(term.screen()).toContain(sshd.url);
    await enterUntil(term, /Conclusion: sampled/, 6, 60_000);

    const records = journalRecords(state, sessionIds(state)[0]!);
    const started = records.find((r) => r.type === 'session.started') as { target?: string; inputs: Record<string, unknown> };
    expect(started).toMatchObject({ target: sshd.url, inputs: { pid: service.pid, pprof: service.url } });
    const before = records.find((r): r is StepFinishedRecord => r.type === 'step.finished' && r.step === 'before')!;
    expect(before.facts).toMatchObject({ status: { pid: service.pid }, heap: expect.any(Object) });
    expect((before.facts as { missing: Record<string, unknown> }).missing).toEqual({});
    rmSync(state, { recursive: true, force: true });
  }, 180_000);
});
