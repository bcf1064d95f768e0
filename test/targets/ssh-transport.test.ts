// The ssh transport against a real sshd on loopback: values arrive byte for byte, never as
// remote shell syntax, and a cancelled or timed-out remote command leaves nothing running.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOnTarget, readFileOnTarget, runOnTarget } from '../../src/targets/run-on-target.js';
import { parseTarget, type Target } from '../../src/targets/target.js';
import { SSH_CONFIG_ENV } from '../../src/targets/transport.js';
import { uniqueSleep } from '../runner/tool.js';
import { PAYLOADS, PWNED_FILES } from './injection-payloads.js';
import { startLoopbackSshd, type LoopbackSshd } from './loopback-sshd.js';

let sshd: LoopbackSshd;
let target: Target;
let work: string;

beforeAll(async () => {
  sshd = await startLoopbackSshd();
  process.env[SSH_CONFIG_ENV] = sshd.sshConfig;
  target = parseTarget(sshd.url);
  work = mkdtempSync(join(tmpdir(), 'runbook-ssh-test-'));
}, 30_000);

afterAll(async () => {
  delete process.env[SSH_CONFIG_ENV];
  rmSync(work, { recursive: true, force: true });
  await sshd?.stop();
});

/** Remote processes whose command line holds `marker`, asked over the same transport. */
async function remoteProcesses(marker: string): Promise<string> {
  // pgrep -f would match its own ssh-carried command line, which holds the marker too; the
  // bracket trick ([x]yz) keeps the pattern from matching itself.
  const pattern = `[${marker[0]}]${marker.slice(1)}`;
  const captured = await captureOnTarget(target, ['sh', '-c', 'pgrep -af -- "$1" || true', 'sh', pattern], { timeoutMs: 15_000, maxBytes: 1 << 20 });
  if (!captured.ok) throw new Error(captured.reason);
  return captured.bytes.toString();
}

async function waitFor(condition: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('ssh transport, loopback sshd', () => {
  it('runs a command and returns its stdout', async () => {
    const captured = await captureOnTarget(target, ['echo', 'hello', 'world'], { timeoutMs: 15_000, maxBytes: 1 << 20 });
    expect(captured).toEqual({ ok: true, bytes: Buffer.from('hello world\n') });
  });

  it('delivers every payload byte for byte as one argument, never as shell syntax', async () => {
    // printf '%s\0' prints each argument it received, NUL-terminated: the exact argv.
    const captured = await captureOnTarget(target, ['printf', '%s\\0', ...PAYLOADS], { timeoutMs: 15_000, maxBytes: 1 << 20 });
    if (!captured.ok) throw new Error(captured.reason);
    expect(captured.bytes.toString('utf8').split('\0').slice(0, -1)).toEqual(PAYLOADS);
    for (const file of PWNED_FILES) expect(existsSync(file)).toBe(false);
  });

  it('delivers env values literally through env NAME=VALUE', async () => {
    const value = '$(touch /tmp/runbook-pwned-env); `id` \'x\'\nsecond line';
    const out = join(work, 'env.out');
    const result = await runOnTarget(target, {
      argv: ['sh', '-c', 'printf %s "$PAYLOAD"'],
      env: { PAYLOAD: value },
      timeoutMs: 15_000,
      graceMs: 1000,
      stdoutPath: out,
      stderrPath: join(work, 'env.err'),
    });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(value);
    expect(existsSync('/tmp/runbook-pwned-env')).toBe(false);
  });

  it('reports the remote exit code', async () => {
    const result = await runOnTarget(target, {
      argv: ['sh', '-c', 'echo oops >&2; exit 3'],
      timeoutMs: 15_000,
      graceMs: 1000,
      stdoutPath: join(work, 'exit.out'),
      stderrPath: join(work, 'exit.err'),
    });
    expect(result.exitCode).toBe(3);
    expect(result.stderr.head).toContain('oops');
  });

  it('reads a remote file in one read, and cuts one larger than the cap', async () => {
    const status = await readFileOnTarget(target, '/proc/self/status', { maxBytes: 1 << 20, timeoutMs: 15_000 });
    if (!status.ok) throw new Error(status.reason);
    // /proc/self is dd itself on the far side.
    expect(status.bytes.toString()).toMatch(/^Name:\s+dd$/m);
    expect(status.truncated).toBe(false);
    const capped = await readFileOnTarget(target, '/proc/self/status', { maxBytes: 100, timeoutMs: 15_000 });
    if (!capped.ok) throw new Error(capped.reason);
    expect(capped.truncated).toBe(true);
    expect(capped.bytes).toHaveLength(100);
    expect(capped.bytes.toString()).toMatch(/^Name:\s+dd\n/);
    const missing = await readFileOnTarget(target, '/nonexistent/file', { maxBytes: 100, timeoutMs: 15_000 });
    expect(missing).toEqual({ ok: false, reason: expect.stringMatching(/No such file or directory/), retry: true });
  });

  it('a cancelled remote step leaves no remote process', async () => {
    const marker = uniqueSleep();
    const controller = new AbortController();
    const running = runOnTarget(target, {
      argv: ['sleep', marker],
      timeoutMs: 120_000,
      graceMs: 1000,
      stdoutPath: join(work, 'cancel.out'),
      stderrPath: join(work, 'cancel.err'),
      signal: controller.signal,
    });
    await waitFor(async () => (await remoteProcesses(marker)).includes(marker), 'the remote command to start');
    controller.abort();
    const result = await running;
    expect(result.cancelled).toBe(true);
    // Gone long before the remote timeout (120 s) would end it. The deadline allows for a
    // loaded host: each check is an ssh round trip of its own, and a full run once missed 5 s.
    await waitFor(async () => !(await remoteProcesses(marker)).includes(marker), 'the remote command to end after cancel', 15_000);
  }, 45_000);

  it('a timed-out remote step leaves no remote process', async () => {
    const marker = uniqueSleep();
    const startedAt = Date.now();
    const result = await runOnTarget(target, {
      argv: ['sleep', marker],
      timeoutMs: 2_000,
      graceMs: 1000,
      stdoutPath: join(work, 'timeout.out'),
      stderrPath: join(work, 'timeout.err'),
    });
    expect(result.timedOut).toBe(true);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    await waitFor(async () => !(await remoteProcesses(marker)).includes(marker), 'the remote command to end after timeout', 15_000);
  }, 45_000);

  it('the remote side bounds itself even when the local ssh is killed without a word', async () => {
    // SIGKILL of the local process group (what the watchdog does when the tool dies).
    const marker = uniqueSleep();
    let pgid = 0;
    const running = runOnTarget(target, {
      argv: ['sleep', marker],
      timeoutMs: 120_000,
      graceMs: 1000,
      stdoutPath: join(work, 'kill.out'),
      stderrPath: join(work, 'kill.err'),
      onStart: (id) => (pgid = id),
    });
    await waitFor(async () => (await remoteProcesses(marker)).includes(marker), 'the remote command to start');
    process.kill(-pgid, 'SIGKILL');
    await running;
    await waitFor(async () => !(await remoteProcesses(marker)).includes(marker), 'the remote command to end after ssh died', 15_000);
  }, 45_000);
});
