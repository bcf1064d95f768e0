// `runbook alerts` and `runbook run --alert` on what goes wrong: no Alertmanager, one that
// does not answer, payloads that are no alerts, several firing alerts, a runbook named that
// does not answer the alert. Each is one clear line and a hint (exit 2), never a stack trace.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir = '';
const env = () => ({ RUNBOOK_STATE_DIR: join(dir, 'state'), RUNBOOK_CONFIG_DIR: join(dir, 'config') });
const run = (args: string[], input?: string) => runCli(args, { env: env(), timeout: 30_000, ...(input !== undefined ? { stdin: 'pipe' as const, input } : {}) });

function expectUserError(result: { exitCode: number; stderr: string }, message: string): void {
  expect(result.exitCode, result.stderr).toBe(2);
  expect(result.stderr).toContain(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-alerts-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runbook alerts', () => {
  it('needs an Alertmanager: the flag or the setting, which must be a URL', async () => {
    expectUserError(await run(['alerts']), 'no Alertmanager to ask');
    expectUserError(await run(['config', 'set', 'alertmanager', 'alertmanager:9093']), "alertmanager must be an http:// or https:// URL, not 'alertmanager:9093'");
    expect((await run(['config', 'set', 'alertmanager', 'http://127.0.0.1:1'])).exitCode).toBe(0);
    // The setting is used: port 1 refuses.
    expectUserError(await run(['alerts']), 'cannot read the alerts of http://127.0.0.1:1: GET http://127.0.0.1:1/api/v2/alerts?active=true&silenced=false&inhibited=false: ECONNREFUSED');
  });

  it('masks a password in the Alertmanager URL in its messages', async () => {
    const result = await run(['alerts', '--alertmanager', 'http://oncall:hunter2-secret@127.0.0.1:1']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).not.toContain('hunter2-secret');
    const notUrl = await run(['alerts', '--alertmanager', 'http://admin:hunter2@am:99999']);
    expectUserError(notUrl, 'is not a URL');
    expect(notUrl.stderr).not.toContain('hunter2');
  });
});

describe('runbook run --alert', () => {
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const alert = (job: string, status = 'firing') => ({ status, labels: { alertname: 'GoMemoryGrowth', job }, annotations: {}, startsAt: '2026-12-07T14:00:00Z', fingerprint: `fp-${job}` });

  it('names the file and what is wrong with a payload that holds no alerts', async () => {
    expectUserError(await run(['run', '--alert', write('garbage.json', 'not json at all'), '--non-interactive']), 'garbage.json: not JSON');
    expectUserError(await run(['run', '--alert', write('other.json', '{"kind":"something else"}'), '--non-interactive']), 'other.json: neither an Alertmanager webhook payload');
    expectUserError(await run(['run', '--alert', join(dir, 'absent.json'), '--non-interactive']), `cannot read ${join(dir, 'absent.json')} (ENOENT)`);
    expectUserError(await run(['run', '--alert', '-', '--non-interactive'], JSON.stringify({ version: '4', alerts: [alert('api', 'resolved')] })), 'stdin holds no firing alert: 1 not firing (resolved, silenced or inhibited)');
  });

  it('lists the firing alerts when several fire and none is chosen, and takes a fingerprint or a place', async () => {
    const payload = JSON.stringify({ version: '4', alerts: [alert('api'), alert('worker')] });
    const several = await run(['run', '--alert', '-', '--non-interactive'], payload);
    expectUserError(several, 'stdin holds 2 firing alerts; choose one with --alert-index:\n  fp-api  GoMemoryGrowth job="api"\n  fp-worker  GoMemoryGrowth job="worker"');
    // Chosen, go-memory answers it and its job names the process: none of that name runs here.
    expectUserError(await run(['run', '--alert', '-', '--alert-index', 'fp-worker', '--non-interactive'], payload), "input pid: no Go process named 'worker' on this host");
    expectUserError(await run(['run', '--alert', '-', '--alert-index', '2', '--non-interactive'], payload), "input pid: no Go process named 'worker' on this host");
    expectUserError(await run(['run', '--alert', '-', '--alert-index', '7', '--non-interactive'], payload), '--alert-index 7: no such firing alert in stdin; there are:');
  });

  it('takes the one firing alert the runbook named answers, and still asks when it answers several', async () => {
    const gc = { ...alert('api'), labels: { alertname: 'GoGCPausesHigh', job: 'api' }, fingerprint: 'fp-gc' };
    const mixed = JSON.stringify({ version: '4', alerts: [gc, alert('worker')] });
    expectUserError(await run(['run', 'go-memory', '--alert', '-', '--non-interactive'], mixed), "input pid: no Go process named 'worker' on this host");
    expectUserError(await run(['run', 'go-gc-pauses', '--alert', '-', '--non-interactive'], mixed), "input pid: no Go process named 'api' on this host");
    const both = JSON.stringify({ version: '4', alerts: [alert('api'), alert('worker'), gc] });
    expectUserError(await run(['run', 'go-memory', '--alert', '-', '--non-interactive'], both), 'stdin holds 3 firing alerts; choose one with --alert-index');
  });

  it('refuses --alert-index without --alert', async () => {
    expectUserError(await run(['run', 'go-memory', '--alert-index', '2', '--non-interactive']), '--alert-index 2 chooses one of the alerts --alert reads, and there is no --alert');
  });

  it('checks a runbook named on the command line answers the alert, and says when none does', async () => {
    const payload = JSON.stringify([{ ...alert('api'), status: { state: 'active' } }]);
    expectUserError(await run(['run', 'go-gc-pauses', '--alert', '-', '--non-interactive'], payload), 'runbook go-gc-pauses does not answer alert GoMemoryGrowth (job="api"): its match: does not hold for it');
    const disk = JSON.stringify([{ labels: { alertname: 'DiskFull', job: 'db' }, status: { state: 'active' }, startsAt: '2026-12-07T14:00:00Z' }]);
    expectUserError(await run(['run', '--alert', '-', '--non-interactive'], disk), "no runbook's match: answers alert DiskFull (job=\"db\")");
  });

  it('prints no terminal control sequence from a payload read from a file or stdin', async () => {
    const osc52 = 'x\u001b]52;c;ZWNobyBwd25lZA==\u0007';
    const title = 'nosuch\u001b]0;TITLE\u0007';
    const clear = 'GoMemoryGrowth\u001b[2J';
    const hostile = { ...alert(title), labels: { alertname: clear, job: title, [osc52]: 'v' } };
    const several = await run(['run', '--alert', write('hostile.json', JSON.stringify([{ ...hostile, status: { state: 'active' } }, alert('api')])), '--non-interactive']);
    expectUserError(several, 'holds 2 firing alerts');
    const one = await run(['run', '--alert', '-', '--non-interactive'], JSON.stringify({ version: '4', alerts: [{ ...alert(title), labels: { alertname: 'GoMemoryGrowth', job: title, [osc52]: 'v' } }] }));
    expectUserError(one, "no Go process named 'nosuch' on this host");
    for (const result of [several, one]) expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    // A label name that is no Prometheus name is quoted: its line break forges no line.
    const forged = await run(['run', 'go-memory', '--alert', '-', '--non-interactive'], JSON.stringify([{ ...alert('api'), status: { state: 'active' }, labels: { alertname: 'GoMemoryGrowth', job: 'api', 'x\nerror: forged': 'v' } }, alert('worker')]));
    expectUserError(forged, 'holds 2 firing alerts');
    expect(forged.stderr).toContain('"x\\nerror: forged"="v"');
    expect(forged.stderr).not.toMatch(/^error: forged/m);
    // So is an alert name holding a line break (a label value may).
    const named = await run(['run', '--alert', '-', '--non-interactive'], JSON.stringify([{ ...alert('api'), status: { state: 'active' }, labels: { alertname: 'GoMemoryGrowth\nerror: forged name', job: 'api' } }, alert('worker')]));
    expectUserError(named, 'holds 2 firing alerts');
    expect(named.stderr).toContain('"GoMemoryGrowth\\nerror: forged name" job="api"');
    expect(named.stderr).not.toMatch(/^error: forged name/m);
  });

  it('--var wins over a label', async () => {
    const payload = JSON.stringify([{ ...alert('api'), status: { state: 'active' } }]);
    // pid given: no name lookup; a pid that is no process stops the run before any step.
    expectUserError(await run(['run', '--alert', '-', '--var', 'pid=999999999', '--non-interactive'], payload), 'pid 999999999');
  });
});
