// `runbook run --target ssh://…` end to end against a real sshd on loopback: the same
// conclusion as a local run, payloads delivered literally, option injection refused,
// a cancelled remote step leaves no remote process, and paste-back notes say "by hand".
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JournalRecord, StepFinishedRecord, StepStartedRecord } from '../../src/journal/records.js';
import { exportSession } from '../../src/notes/export.js';
import { runCli } from '../helpers/cli.js';
import { journalRecords, programsMatching, sessionIds, startTool, waitFor, waitForNoProcess } from '../runner/tool.js';
import { loopbackSshdEachFile } from '../targets/loopback-sshd.js';

const fixtures = fileURLToPath(new URL('../fixtures/targets/', import.meta.url));
const checkRunbook = join(fixtures, 'remote-check.yaml');
const sleepRunbook = join(fixtures, 'remote-sleep.yaml');

const loopback = loopbackSshdEachFile();

const run = (args: string[]) => runCli(args, { env: loopback.dirs.env });

function onlySession(): JournalRecord[] {
  const ids = sessionIds(loopback.dirs.state);
  expect(ids).toHaveLength(1);
  return journalRecords(loopback.dirs.state, ids[0]!);
}

function started(records: JournalRecord[], step: string): StepStartedRecord {
  const record = records.find((r): r is StepStartedRecord => r.type === 'step.started' && r.step === step);
  if (!record) throw new Error(`no step.started for ${step}`);
  return record;
}

function finishedStep(records: JournalRecord[], step: string): StepFinishedRecord {
  const record = records.find((r): r is StepFinishedRecord => r.type === 'step.finished' && r.step === step);
  if (!record) throw new Error(`no step.finished for ${step}`);
  return record;
}

function conclusion(records: JournalRecord[]): { finding: string; text: string } | undefined {
  const record = records.find((r) => r.type === 'session.concluded');
  return record && record.type === 'session.concluded' ? { finding: record.finding, text: record.text } : undefined;
}

const PAYLOAD = "$(touch /tmp/runbook-e2e-pwned) `touch /tmp/runbook-e2e-pwned` ; rm -rf /tmp/runbook-e2e-x 'q' \"d\"\nsecond line";

describe('runbook run --target ssh:// (loopback sshd)', () => {
  it('reaches the same conclusion as a local run, the payload delivered byte for byte', async () => {
    const local = await run(['run', checkRunbook, '--var', `payload=${PAYLOAD}`]);
    expect(local.exitCode, local.stderr).toBe(0);
    const localConclusion = conclusion(onlySession());
    // A fresh state dir, so the remote session is the only one.
    rmSync(loopback.dirs.state, { recursive: true, force: true });

    const remote = await run(['run', checkRunbook, '--target', loopback.sshd.url, '--var', `payload=${PAYLOAD}`]);
    expect(remote.exitCode, remote.stderr).toBe(0);
    const records = onlySession();
    expect(conclusion(records)).toEqual(localConclusion);
    expect(localConclusion?.finding).toBe('busy');

    const sessionStarted = records.find((r) => r.type === 'session.started');
    expect(sessionStarted && sessionStarted.type === 'session.started' && sessionStarted.target).toBe(loopback.sshd.url);
    expect(started(records, 'echo').command?.target).toBe(loopback.sshd.url);
    expect(started(records, 'proc').command).toMatchObject({ target: loopback.sshd.url, argv: ['dd', 'if=/proc/self/status', expect.stringMatching(/^bs=/), 'count=1', 'iflag=fullblock', 'status=none'] });
    // printf received the payload as one argument: it came back whole.
    const echo = finishedStep(records, 'echo');
    expect(echo.output?.head).toBe(`payload=${PAYLOAD}\nworkers=7\n`);
    expect(existsSync('/tmp/runbook-e2e-pwned')).toBe(false);
    // The remote read was done by dd on the far side.
    const status = JSON.parse(readFileSync(join(loopback.dirs.state, 'sessions', sessionIds(loopback.dirs.state)[0]!, finishedStep(records, 'proc').artifacts!.facts!), 'utf8')) as Record<string, unknown>;
    expect(status['name']).toBe('dd');

    // The notes name the target of every command step.
    const notes = exportSession(records);
    expect(notes).toContain(`on \`${loopback.sshd.url}\``);
  }, 60_000);

  it('takes the target from a runbook input of type target', async () => {
    const result = await run(['run', checkRunbook, '--var', `target=${loopback.sshd.url}`]);
    expect(result.exitCode, result.stderr).toBe(0);
    const records = onlySession();
    expect(started(records, 'echo').command?.target).toBe(loopback.sshd.url);
    expect(conclusion(records)?.finding).toBe('busy');
  }, 60_000);

  it.each([
    ['--target', 'ssh://-oProxyCommand=touch /tmp/runbook-e2e-proxy'],
    ['--target', 'ssh://-oProxyCommand=touch%20/tmp/runbook-e2e-proxy'],
    ['--var', 'target=ssh://-oProxyCommand=touch%20/tmp/runbook-e2e-proxy'],
    ['--target', 'ssh://host;touch /tmp/runbook-e2e-proxy'],
    ['--target', 'kubectl://ns/-it'],
  ])('refuses %s %j before any session starts', async (flag, value) => {
    const result = await run(['run', checkRunbook, flag, value]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/runbook: (input target: )?.*target '/);
    expect(result.stderr).toContain('hint: write it as');
    expect(existsSync('/tmp/runbook-e2e-proxy')).toBe(false);
    expect(sessionIds(loopback.dirs.state)).toEqual([]);
  });

  it('runs a `local: true` step on this machine while the others go to the target', async () => {
    const result = await run(['run', join(fixtures, 'remote-local.yaml'), '--target', loopback.sshd.url]);
    expect(result.exitCode, result.stderr).toBe(0);
    const records = onlySession();
    expect(started(records, 'there').command?.target).toBe(loopback.sshd.url);
    expect(started(records, 'here').command?.target).toBe('local');
    expect(conclusion(records)?.text).toBe('there ssh=yes, here ssh=');
  }, 60_000);

  it('SIGINT during a remote step ends the session 130 and leaves no remote process', async () => {
    const marker = `600.${process.pid}${Math.floor(Math.random() * 1e6)}`;
    const tool = startTool(['run', sleepRunbook, '--target', loopback.sshd.url, '--var', `seconds=${marker}`], loopback.dirs.env);
    // The remote `sleep` itself (loopback: visible in this machine's process table, under
    // sshd), not the ssh, watcher or timeout command lines that carry the marker too.
    await waitFor(() => programsMatching('sleep', marker).length > 0, 20_000, 'the remote sleep to start');
    tool.child.kill('SIGINT');
    const exit = await tool.exit;
    expect(exit.code, tool.stderr()).toBe(130);
    await waitForNoProcess(marker, 10_000, 'every process carrying the marker to end');
    const records = onlySession();
    expect(finishedStep(records, 'nap').status).toBe('cancelled');
  }, 60_000);
});

describe('snapshot steps through the target', () => {
  it('collect /proc evidence and pprof over ssh, diffs included, missing evidence explained', async () => {
    const snapshotRunbook = join(fixtures, 'remote-snapshot.yaml');
    // The far side is loopback: this test process is a live process on the target.
    const result = await run(['run', snapshotRunbook, '--target', loopback.sshd.url, '--var', `pid=${process.pid}`]);
    expect(result.exitCode, result.stderr).toBe(0);
    const records = onlySession();
    const before = finishedStep(records, 'before');
    expect(before.status).toBe('passed');
    expect(before.facts).toMatchObject({ status: { pid: process.pid, vm_rss_kb: expect.any(Number) }, smaps_rollup: { rss_kb: expect.any(Number) } });
    // Nothing listens on 127.0.0.1:1 on the target: curl there says so.
    expect((before.facts as { missing: Record<string, string> }).missing.heap).toMatch(/curl .*on ssh:\/\/.*(refused|Failed to connect)/i);
    expect(finishedStep(records, 'after').facts).toMatchObject({ status_diff: expect.any(Object) });
  }, 60_000);
});

describe('paste-back: --output STEPID=FILE', () => {
  it('uses the files as the steps output, same parser and branches, and the notes say run by hand', async () => {
    const echoOut = join(loopback.dirs.state, '..', 'echo.txt');
    const procOut = join(loopback.dirs.state, '..', 'status.txt');
    writeFileSync(echoOut, 'payload=pasted\nworkers=9\n');
    writeFileSync(procOut, 'Name:\tgo-service\nThreads:\t12\nVmRSS:\t  204800 kB\n');
    // An unreachable target: nothing can run there, everything is done by hand.
    const result = await run(['run', checkRunbook, '--target', 'ssh://nobody@unreachable.invalid', '--output', `echo=${echoOut}`, '--output', `proc=${procOut}`]);
    expect(result.exitCode, result.stderr).toBe(0);
    const records = onlySession();
    expect(conclusion(records)).toEqual({ finding: 'busy', text: '9 workers, reader has threads' });
    for (const step of ['echo', 'proc']) {
      const finish = finishedStep(records, step);
      expect(finish.by_hand).toBe(true);
      expect(finish.status).toBe('passed');
    }
    expect(finishedStep(records, 'proc').facts).toMatchObject({ threads: 12, vm_rss_kb: 204800 });
    // The command to run by hand is recorded with the target it was meant for.
    expect(started(records, 'proc').command).toMatchObject({ display: expect.stringMatching(/^dd if=\/proc\/self\/status bs=\d+ count=1 iflag=fullblock status=none$/), target: 'ssh://nobody@unreachable.invalid' });
    const notes = exportSession(records);
    expect(notes.match(/\*\*Run by hand\*\*/g)).toHaveLength(2);
  }, 60_000);

  it('refuses --output for an unknown step or a step that cannot be done by hand', async () => {
    const file = join(loopback.dirs.state, '..', 'x.txt');
    writeFileSync(file, 'x');
    const unknown = await run(['run', checkRunbook, '--output', `nope=${file}`]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("has no step 'nope'");
    expect(unknown.stderr).toContain('its run and read steps are echo, proc');
    const conclude = await run(['run', checkRunbook, '--output', `busy=${file}`]);
    expect(conclude.exitCode).toBe(2);
    expect(conclude.stderr).toContain('is a conclude step');
    const missing = await run(['run', checkRunbook, '--output', `echo=${file}.missing`]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
  });
});
