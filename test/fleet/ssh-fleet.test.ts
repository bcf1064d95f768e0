// A real fan-out: `runbook run go-memory --target A --target B --target C` against one
// loopback sshd reached by distinct URLs (user@127.0.0.1:PORT, user@localhost:PORT) and a
// closed port, each diagnosing the real Go test service by an explicit pid. The reachable
// ones conclude, the unreachable one is recorded with ssh's reason, the run exits 1, the
// concurrency bound holds (an ssh wrapper on PATH logs every connection), and SIGINT mid-run
// leaves no process on the target.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetRecord } from '../../src/fleet/fleet-records.js';
import { runCli } from '../helpers/cli.js';
import { goServiceSkipReason, startGoService, type GoService } from '../helpers/go-service.js';
import { journalRecords, programsMatching, startTool, waitFor, waitForNoProcess } from '../runner/tool.js';
import { loopbackSshdEachFile } from '../targets/loopback-sshd.js';

const sleepRunbook = fileURLToPath(new URL('../fixtures/targets/remote-sleep.yaml', import.meta.url));

const loopback = loopbackSshdEachFile();

/** The same host under two names, and a port nothing listens on. */
function urls(): { numeric: string; named: string; closed: string } {
  const user = loopback.sshd.url.slice('ssh://'.length, loopback.sshd.url.indexOf('@'));
  return { numeric: `ssh://${user}@127.0.0.1:${loopback.sshd.port}`, named: `ssh://${user}@localhost:${loopback.sshd.port}`, closed: `ssh://${user}@127.0.0.1:1` };
}

function fleetRecords(): FleetRecord[] {
  const root = join(loopback.dirs.state, 'fleets');
  const ids = readdirSync(root);
  expect(ids).toHaveLength(1);
  return readFileSync(join(root, ids[0]!, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as FleetRecord);
}

/** A PATH whose `ssh` logs `start|end PID HOST` around the real ssh, so the log shows
 *  which hosts had a connection open at the same time. */
function loggingSsh(): { path: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-fleet-ssh-'));
  const log = join(dir, 'log');
  const real = execFileSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).trim();
  writeFileSync(
    join(dir, 'ssh'),
    ['#!/bin/sh', 'host=$(for a in "$@"; do case "$a" in localhost|127.0.0.1) echo "$a";; esac; done | head -n1)', `echo "start $$ $host" >> '${log}'`, `'${real}' "$@"`, 'rc=$?', `echo "end $$ $host" >> '${log}'`, 'exit $rc', ''].join('\n'),
    { mode: 0o755 },
  );
  return { path: `${dir}:${process.env.PATH ?? ''}`, log };
}

/** The most distinct hosts that had an ssh running at one moment, from the log's order. */
function peakHostsAtOnce(log: string): number {
  const open = new Map<string, string>();
  let peak = 0;
  for (const line of readFileSync(log, 'utf8').split('\n').filter((l) => l !== '')) {
    const [what, pid, host = ''] = line.split(' ');
    if (what === 'start') open.set(pid!, host);
    else open.delete(pid!);
    peak = Math.max(peak, new Set(open.values()).size);
  }
  return peak;
}

describe.skipIf(goServiceSkipReason !== undefined)(`a fleet of ssh targets${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
  let service: GoService;
  beforeAll(async () => {
    service = await startGoService('go-heap');
  });
  afterAll(async () => service?.stop());

  it('the reachable targets conclude, the unreachable one is recorded with ssh’s reason, one target at a time', async () => {
    const { numeric, named, closed } = urls();
    const ssh = loggingSsh();
    const result = await runCli(
      ['run', 'go-memory', '--target', numeric, '--target', closed, '--target', named, '--concurrency', '1', '--var', `pid=${service.pid}`, '--var', `pprof=${service.url}`, '--var', 'interval=2s', '--non-interactive', '--json'],
      { env: { ...loopback.dirs.env, PATH: ssh.path }, timeout: 240_000 },
    );
    expect(result.exitCode, result.stderr).toBe(1);
    const lines = result.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    const last = lines.at(-1)!;
    expect(last.type).toBe('fleet.concluded');
    const groups = last.groups as Array<{ finding: string; targets: string[] }>;
    expect(groups.flatMap((g) => g.targets).sort()).toEqual([named, numeric].sort());
    expect(last.failed).toEqual([{ target: closed, reason: expect.stringMatching(/Connection refused/) }]);
    // Child events are tagged with their target and session.
    const tagged = lines.filter((l) => l.type === 'session.concluded');
    expect(tagged.map((l) => l.target).sort()).toEqual([named, numeric].sort());
    const records = fleetRecords();
    for (const finished of records.filter((r) => r.type === 'child.finished')) {
      const child = journalRecords(loopback.dirs.state, finished.session_id);
      const concluded = child.find((r) => r.type === 'session.concluded');
      expect(concluded?.type === 'session.concluded' && concluded.finding).toBe(finished.finding);
      expect(typeof finished.numbers.rss_growth_mib).toBe('number');
    }
    expect(peakHostsAtOnce(ssh.log)).toBe(1);
    expect(readFileSync(ssh.log, 'utf8')).toMatch(/start \d+ localhost/);
  }, 300_000);
});

describe('Ctrl+C in a fleet run', () => {
  it('cancels every running child, starts none, exits 130 and leaves no process on the target', async () => {
    const { numeric, named } = urls();
    const marker = `600.${process.pid}${Math.floor(Math.random() * 1e6)}`;
    const tool = startTool(['run', sleepRunbook, '--target', numeric, '--target', named, '--concurrency', '2', '--var', `seconds=${marker}`, '--non-interactive'], loopback.dirs.env);
    await waitFor(() => programsMatching('sleep', marker).length >= 2, 30_000, 'both remote sleeps to start');
    tool.child.kill('SIGINT');
    const exit = await tool.exit;
    expect(exit.code, tool.stderr()).toBe(130);
    await waitForNoProcess(marker, 10_000, 'every process carrying the marker to end');
    const records = fleetRecords();
    const concluded = records.at(-1)!;
    expect(concluded).toMatchObject({ type: 'fleet.concluded', status: 'cancelled', groups: [] });
    const failed = records.filter((r) => r.type === 'child.failed');
    expect(failed.map((r) => r.target).sort()).toEqual([named, numeric].sort());
    for (const child of failed) {
      expect(child.reason).toMatch(/cancelled/);
      const ended = journalRecords(loopback.dirs.state, child.session_id!).find((r) => r.type === 'session.ended');
      expect(ended).toMatchObject({ status: 'cancelled', exit_code: 130 });
    }
  }, 60_000);
});

describe('--target-timeout', () => {
  it('cancels the child that runs too long, its processes die, the fleet records why and exits 1', async () => {
    const { numeric, named } = urls();
    const marker = `600.${process.pid}${Math.floor(Math.random() * 1e6)}`;
    const result = await runCli(['run', sleepRunbook, '--target', numeric, '--target', named, '--target-timeout', '3s', '--var', `seconds=${marker}`, '--non-interactive'], { env: loopback.dirs.env, timeout: 60_000 });
    expect(result.exitCode, result.stderr).toBe(1);
    await waitForNoProcess(marker, 10_000, 'every process carrying the marker to end');
    const failed = fleetRecords().filter((r) => r.type === 'child.failed');
    expect(failed.map((r) => [r.target, r.reason]).sort()).toEqual(
      [numeric, named].sort().map((t) => [t, 'no conclusion within 3s (--target-timeout): cancelled']),
    );
  }, 60_000);
});

describe('a fleet run, listed and exported', () => {
  const countRunbook = fileURLToPath(new URL('../fixtures/fleet/fleet-count.yaml', import.meta.url));

  it('answers a question once for all, lists the fleet with its children, and exports notes linking each child', async () => {
    const { numeric, named, closed } = urls();
    const atEnd = join(loopback.dirs.state, '..', 'at-end.md');
    const result = await runCli(['run', countRunbook, '--target', numeric, '--target', named, '--target', closed, '--answer', 'seen=yes', '--non-interactive', '--notes', atEnd], { env: loopback.dirs.env, timeout: 60_000 });
    expect(result.exitCode, result.stderr).toBe(1);
    // --notes FILE: the fleet notes, written as the run ends.
    expect(readFileSync(atEnd, 'utf8')).toContain('- 2 × **counted** (low)');
    expect(result.stderr).toMatch(/\[ssh:\/\/\S+@127\.0\.0\.1:\d+\] ▶ count/);
    expect(result.stderr).toMatch(/2 × \[low\] counted/);
    const records = fleetRecords();
    const finished = records.filter((r) => r.type === 'child.finished');
    // A number that renders nothing is left out, never recorded as a placeholder.
    expect(finished.map((r) => r.numbers)).toEqual([{ workers: 7 }, { workers: 7 }]);
    const fleetId = records[0]!.type === 'fleet.started' ? records[0]!.fleet_id : '';

    const listed = await runCli(['sessions', '--json'], { env: loopback.dirs.env });
    const fleet = (JSON.parse(listed.stdout) as Array<{ kind?: string; id: string; children: Array<{ target: string; status: string; session_id?: string }> }>).find((e) => e.kind === 'fleet')!;
    expect(fleet.id).toBe(fleetId);
    expect(fleet.children.map((c) => [c.target, c.status])).toEqual([
      [numeric, 'concluded'],
      [named, 'concluded'],
      [closed, 'failed'],
    ]);
    const plain = await runCli(['sessions'], { env: loopback.dirs.env });
    expect(plain.stdout).toContain(`FLEET ${fleetId}  fleet-count  concluded`);

    const out = join(loopback.dirs.state, '..', 'fleet.md');
    const exported = await runCli(['export', fleetId.slice(0, -2), '--out', out], { env: loopback.dirs.env });
    expect(exported.exitCode, exported.stderr).toBe(0);
    const notes = readFileSync(out, 'utf8');
    expect(notes.indexOf('## Summary')).toBeLessThan(notes.indexOf('## Instances'));
    expect(notes).toContain('- 2 × **counted** (low)');
    expect(notes).toMatch(/## Could not be diagnosed[\s\S]*127\.0\.0\.1:1[\s\S]*Connection refused/);
    for (const child of fleet.children.filter((c) => c.status === 'concluded')) {
      expect(notes).toContain(`](${child.session_id}.md)`);
      expect(readFileSync(join(loopback.dirs.state, '..', `${child.session_id}.md`), 'utf8')).toMatch(/^# Incident notes/);
    }
  }, 90_000);

  const exit255Runbook = fileURLToPath(new URL('../fixtures/fleet/exit-255.yaml', import.meta.url));

  it('a command that exits 255 by itself on a reachable host is its own status, not a lost target', async () => {
    const { numeric, named } = urls();
    const result = await runCli(['run', exit255Runbook, '--target', numeric, '--target', named, '--non-interactive'], { env: loopback.dirs.env, timeout: 60_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    const finished = fleetRecords().filter((r) => r.type === 'child.finished');
    expect(finished.map((r) => (r.type === 'child.finished' ? r.finding : ''))).toEqual(['exited', 'exited']);
  }, 90_000);
});
