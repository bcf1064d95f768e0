// Process discovery and capture through a target: `runbook ps --target`, `runbook capture
// --target` and a `discover: go` pid on a remote target, against a real sshd on loopback
// and the real Go test service. The far side is this machine, so every answer can be
// checked against what the local readers see.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/collectors/bundle.js';
import type { GoProcess } from '../../src/collectors/discover.js';
import { goVersionOf, readGoVersion, type BuildInfoVersion } from '../../src/collectors/go-buildinfo.js';
import { RemoteReads } from '../../src/collectors/remote-reads.js';
import { captureOnTarget } from '../../src/targets/run-on-target.js';
import { parseTarget, type RemoteTarget } from '../../src/targets/target.js';
import { SSH_CONFIG_ENV } from '../../src/targets/transport.js';
import { runCli } from '../helpers/cli.js';
import { psWarningsAbout } from '../helpers/ps-warnings.js';
import { elfWithMagicOnly, writeGoBinaryVariants } from '../helpers/go-binaries.js';
import { buildLeaky, gcLineCount, goServiceSkipReason, installedGoVersion, startGoService, waitUntil, type GoService } from '../helpers/go-service.js';
import { journalRecords, sessionIds, startTool, toolDirs, waitFor } from '../runner/tool.js';
import { startLoopbackSshd, type LoopbackSshd } from './loopback-sshd.js';

let sshd: LoopbackSshd;
const env = (): NodeJS.ProcessEnv => ({ [SSH_CONFIG_ENV]: sshd.sshConfig });

beforeAll(async () => {
  sshd = await startLoopbackSshd();
  process.env[SSH_CONFIG_ENV] = sshd.sshConfig;
}, 30_000);
afterAll(async () => {
  delete process.env[SSH_CONFIG_ENV];
  await sshd?.stop();
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'runbook-remote-'));
}

/** A directory to put first on PATH whose `ssh` counts its runs and, after `failAfter`
 *  of them, fails as a dropped connection does, or first waits `delaySeconds` as a slow
 *  link does; otherwise it is the real ssh. */
function countingSsh(failAfter?: number, delaySeconds?: number): { path: string; runs: () => number } {
  const dir = tempDir();
  const count = join(dir, 'count');
  writeFileSync(
    join(dir, 'ssh'),
    [
      '#!/bin/sh',
      // A line per run, appended: ssh runs in parallel, and a read-then-write count lost some.
      `echo run >> '${count}'; n=$(wc -l < '${count}')`,
      failAfter === undefined ? '' : `[ "$n" -le ${failAfter} ] || { echo 'kex_exchange_identification: Connection reset by peer' >&2; exit 255; }`,
      delaySeconds === undefined ? '' : `sleep ${delaySeconds}`,
      `exec ${which('ssh')} "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return { path: `${dir}:${process.env.PATH ?? ''}`, runs: () => readFileSync(count, 'utf8').split('\n').filter((line) => line === 'run').length };
}

function which(command: string): string {
  return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
}

describe('batched remote reads', () => {
  it('bring back any bytes, whole blocks trimmed to the range, asked together', async () => {
    const dir = tempDir();
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
    writeFileSync(join(dir, 'bytes'), bytes);
    writeFileSync(join(dir, "it's $(odd) name"), 'odd\n\0end');
    const reads = new RemoteReads(parseTarget(sshd.url) as RemoteTarget);
    const ranges = reads.ranges(join(dir, 'bytes'));
    const ssh = countingSsh();
    const path = process.env.PATH;
    process.env.PATH = ssh.path;
    const [start, middle, tail, beyond, odd, absent] = await Promise.all([
      ranges(0n, 10),
      ranges(510n, 700),
      ranges(2990n, 100),
      ranges(5000n, 10),
      reads.file(join(dir, "it's $(odd) name"), 4096),
      reads.file(join(dir, 'absent'), 4096),
    ]).finally(() => (process.env.PATH = path));
    expect(ssh.runs()).toBe(1);
    expect(start).toEqual(bytes.subarray(0, 10));
    expect(middle).toEqual(bytes.subarray(510, 1210));
    expect(tail).toEqual(bytes.subarray(2990));
    expect(beyond).toHaveLength(0);
    expect(odd.toString('latin1')).toBe('odd\n\0end');
    expect(absent).toHaveLength(0);
    expect(reads.failed).toEqual([]);
  }, 30_000);

  it('an answer larger than the read can bring back is refused, not held in memory', async () => {
    const captured = await captureOnTarget(parseTarget(sshd.url), ['head', '-c', '5000', '/dev/zero'], { timeoutMs: 20_000, maxBytes: 4096, what: 'a flood' });
    expect(captured).toEqual({ ok: false, reason: `a flood on ${sshd.url}: answered more than 4096 bytes` });
  }, 30_000);

  it('an unreachable target is a failure with ssh’s own reason, not an empty answer', async () => {
    const reads = new RemoteReads(parseTarget('ssh://127.0.0.1:1') as RemoteTarget);
    await expect(reads.file('/proc/self/status', 4096)).rejects.toThrow(/reading files on ssh:\/\/127\.0\.0\.1:1: .*refused/i);
    expect(reads.failed).toHaveLength(1);
  }, 30_000);
});

describe.skipIf(goServiceSkipReason !== undefined)(`on the Go test service${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
  let service: GoService;
  let bare: GoService;
  beforeAll(async () => {
    [service, bare] = await Promise.all([startGoService('go-heap'), startGoService('healthy', { noPprof: true })]);
  });
  afterAll(async () => {
    await Promise.all([service?.stop(), bare?.stop()]);
  });

  it('the build info reader gives the same answers on the target as on this host', async () => {
    const variants = writeGoBinaryVariants(buildLeaky(), tempDir());
    const magicOnly = join(tempDir(), 'magic-only');
    writeFileSync(magicOnly, elfWithMagicOnly());
    const reads = new RemoteReads(parseTarget(sshd.url) as RemoteTarget);
    const versionOn = (path: string): Promise<BuildInfoVersion> => goVersionOf(reads.ranges(path));
    const files = [variants.inline, variants.escapeVersion, variants.noSections, variants.pointerFormat, variants.danglingPointer, magicOnly, process.execPath, join(tempDir(), 'absent')];
    const go = installedGoVersion();
    const remote = await Promise.all(files.map(versionOn));
    expect(remote).toEqual([go, undefined, go, go, undefined, undefined, undefined, null]);
    expect(remote).toEqual(await Promise.all(files.map((file) => readGoVersion(file))));
  }, 60_000);

  it('runbook ps --target lists the processes there as the local ps does', async () => {
    const [remote, local] = await Promise.all([runCli(['ps', '--json', '--target', sshd.url], { env: env() }), runCli(['ps', '--json'])]);
    expect(remote.exitCode, remote.stderr).toBe(0);
    expect(psWarningsAbout(remote.stderr, [service.pid, bare.pid])).toEqual([]);
    const remoteList = JSON.parse(remote.stdout) as GoProcess[];
    const localList = JSON.parse(local.stdout) as GoProcess[];
    for (const pid of [service.pid, bare.pid]) {
      const { rss_kb: _rss, ...seen } = remoteList.find((p) => p.pid === pid)!;
      const { rss_kb: _localRss, ...expected } = localList.find((p) => p.pid === pid)!;
      expect(seen).toEqual(expected);
    }
    expect(remoteList.find((p) => p.pid === service.pid)).toMatchObject({ go_version: installedGoVersion(), pprof: service.url, rss_kb: expect.any(Number) });
    expect(remoteList.find((p) => p.pid === bare.pid)?.pprof).toBeNull();

    const table = await runCli(['ps', '--target', sshd.url], { env: env() });
    // Once, in a full-suite run, this table came back empty: say why if it does again.
    expect(table.exitCode, table.stderr).toBe(0);
    expect(table.stdout, table.stderr).toMatch(new RegExp(`^${service.pid}\\s+leaky\\S*\\s+${installedGoVersion().replace(/\./g, '\\.')}\\s+.*${service.url}$`, 'm'));
  }, 60_000);

  it('runbook ps --target takes a fixed number of connections however many Go processes run there', async () => {
    const connections = async (expected: number[]): Promise<number> => {
      const ssh = countingSsh();
      const result = await runCli(['ps', '--json', '--target', sshd.url], { env: { ...env(), PATH: ssh.path } });
      expect(result.exitCode, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as GoProcess[]).map((p) => p.pid)).toEqual(expect.arrayContaining(expected));
      return ssh.runs();
    };
    // executables, 4 rounds of the ELF walk, the Go processes' files, the pprof probe: 7.
    const few = await connections([service.pid, bare.pid]);
    expect(few).toBeGreaterThanOrEqual(7);
    // Twenty more Go processes: one connection each would add 20 or more. The count is not
    // compared with a fixed number: a binary whose oldest process exits mid-read costs one
    // more walk step, and other test files start and stop this binary all through a full run
    // (up to 15 connections seen then, against 7 alone), so both counts are taken the same way.
    const more = await Promise.all([
      ...Array.from({ length: 16 }, () => startGoService('healthy')),
      ...Array.from({ length: 4 }, () => startGoService('healthy', { noPprof: true })),
    ]);
    try {
      const many = await connections([service.pid, bare.pid, ...more.map((m) => m.pid)]);
      expect(many).toBeGreaterThanOrEqual(7);
      expect(many - few).toBeLessThan(more.length);
    } finally {
      await Promise.all(more.map((m) => m.stop()));
    }
  }, 180_000);

  it('runbook ps --target prints what it has when the connection drops, says the list may be incomplete, exit 1', async () => {
    // Run 1 lists the executables; every later connection fails.
    const ssh = countingSsh(1);
    const result = await runCli(['ps', '--target', sshd.url], { env: { ...env(), PATH: ssh.path } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error: the list may be incomplete: reading files on ssh:\/\/.*Connection reset by peer$/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('runbook ps --target on an unreachable host says which and why, exit 2', async () => {
    const result = await runCli(['ps', '--target', 'ssh://127.0.0.1:1'], { env: env() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/reading files on ssh:\/\/127\.0\.0\.1:1: .*refused/i);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('runbook capture --target writes the bundle a local capture writes, and it replays', async () => {
    // A guard, not a speed check: each evidence file is one ssh round trip (about 1 s on loopback,
    // several at load 15: 73 s seen at load 5 with environ and host_cpu); fewer round trips is the fix.
    await waitUntil('a gctrace line', () => gcLineCount(service) > 0);
    const out = join(tempDir(), 'bundle');
    const result = await runCli(
      ['capture', '--target', sshd.url, '--pid', String(service.pid), '--interval', '500ms', '--count', '2', '--gctrace', service.stderrPath, '--out', out],
      { env: env() },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/warning|missing/);
    const bundle = readBundle(out);
    expect(bundle.meta).toMatchObject({ pid: service.pid, go_version: installedGoVersion(), pprof: service.url, host: hostname(), target: sshd.url });
    expect(bundle.meta.cmdline).toContain('go-heap');
    expect(readFileSync(join(out, 'gctrace.log'), 'utf8')).toMatch(/^gc 1 @/m);
    for (const index of [0, 1]) {
      expect(readdirSync(join(out, 'snapshots', String(index))).sort()).toEqual(
        ['environ', 'goroutine.pb.gz', 'goroutine.txt', 'heap.pb.gz', 'heap.txt', 'host_cpu', 'maps', 'smaps', 'smaps_rollup', 'status', 'taken_at', 'vars.json'],
      );
    }
    const dirs = toolDirs();
    try {
      const replay = await runCli(['run', 'go-memory', '--bundle', out, '--non-interactive'], { env: dirs.env });
      expect(replay.exitCode, replay.stderr).toBe(0);
      const records = journalRecords(dirs.state, sessionIds(dirs.state)[0]!);
      expect(records.some((r) => r.type === 'session.concluded')).toBe(true);
    } finally {
      dirs.remove();
    }
  }, 180_000);

  it('runbook capture --target names the target when the pid or the gctrace log is not there', async () => {
    const gone = await runCli(['capture', '--target', sshd.url, '--pid', '999999999', '--out', join(tempDir(), 'b')], { env: env() });
    expect(gone.exitCode).toBe(2);
    expect(gone.stderr).toContain(`cannot capture pid 999999999 on ${sshd.url}`);
    expect(gone.stderr).toContain(`runbook ps --target ${sshd.url}`);
    const noLog = await runCli(['capture', '--target', sshd.url, '--pid', String(service.pid), '--gctrace', '/nonexistent/gc.log', '--out', join(tempDir(), 'b')], { env: env() });
    expect(noLog.exitCode).toBe(2);
    expect(noLog.stderr).toMatch(new RegExp(`--gctrace /nonexistent/gc.log on ${sshd.url.replace(/[.]/g, '\\.')}: .*No such file`));
  }, 60_000);

  it('Ctrl+C while capture --target is still reading the process ends it as cancelled (130), leaving no bundle', async () => {
    const ssh = countingSsh(undefined, 3);
    const out = join(tempDir(), 'bundle');
    const running = startTool(['capture', '--target', sshd.url, '--pid', String(service.pid), '--out', out], { ...process.env, ...env(), PATH: ssh.path });
    await waitFor(() => existsSync(join(ssh.path.split(':')[0]!, 'count')) && ssh.runs() >= 2, 20_000, 'a second ssh run');
    running.child.kill('SIGINT');
    const exit = await running.exit;
    expect(exit.code, running.stderr()).toBe(130);
    expect(running.stderr()).toContain('capture cancelled');
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('a discover: go pid on the target gets the pprof address its process serves there', async () => {
    const dirs = toolDirs();
    try {
      const runbook = join(tempDir(), 'discover.yaml');
      writeFileSync(
        runbook,
        [
          'id: remote-discover',
          'title: Find pprof on the target',
          'summary: The pprof input comes from the process on the target.',
          'inputs:',
          '  pid: { type: pid, discover: go }',
          '  pprof: { type: url, default: "http://127.0.0.1:1" }',
          'steps:',
          '  - id: done',
          '    conclude: { finding: found, severity: info, text: "pprof {{ pprof }}" }',
          '',
        ].join('\n'),
      );
      const result = await runCli(['run', runbook, '--target', sshd.url, '--var', `pid=${service.pid}`, '--non-interactive'], { env: { ...dirs.env, ...env() } });
      expect(result.exitCode, result.stderr).toBe(0);
      const started = journalRecords(dirs.state, sessionIds(dirs.state)[0]!).find((r) => r.type === 'session.started') as { inputs: Record<string, unknown> };
      expect(started.inputs.pprof).toBe(service.url);
    } finally {
      dirs.remove();
    }
  }, 60_000);
});
