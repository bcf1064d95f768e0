// runProcess against real processes: artifacts, exit status, group termination, stdin,
// spawn errors, env, injection payloads.
import { existsSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess, shellArgv } from './built.js';
import { groupMembers } from '../../src/exec/process-group.js';
import { freshDir, groupIsGone, processIsGone } from './helpers.js';

function artifacts() {
  const dir = freshDir();
  return { dir, stdoutPath: join(dir, 'stdout'), stderrPath: join(dir, 'stderr') };
}

describe('runProcess output', () => {
  it('writes the exact bytes to 0600 artifacts and reports them in the excerpt', async () => {
    const paths = artifacts();
    const live: string[] = [];
    const result = await runProcess({
      argv: ['sh', '-c', 'printf "one\\ntwo\\n\\303\\251\\377"; printf "oops\\n" >&2; exit 3'],
      ...paths,
      onOutput: (stream: string, text: string) => live.push(`${stream}:${text}`),
    });
    expect(result.exitCode).toBe(3);
    expect(result.signal).toBeNull();
    expect(readFileSync(paths.stdoutPath)).toEqual(Buffer.from([...Buffer.from('one\ntwo\n'), 0xc3, 0xa9, 0xff]));
    expect(readFileSync(paths.stderrPath, 'utf8')).toBe('oops\n');
    expect(statSync(paths.stdoutPath).mode & 0o777).toBe(0o600);
    expect(statSync(paths.stderrPath).mode & 0o777).toBe(0o600);
    expect(result.stdout).toEqual({
      head: 'one\ntwo\né\ufffd',
      tail: '',
      total_bytes: 11,
      total_lines: 3,
      truncated: false,
    });
    expect(result.stderr.head).toBe('oops\n');
    expect(live.join('')).toContain('stderr:oops\n');
  });

  it('keeps a bounded head and tail of a long output and counts every line', async () => {
    const paths = artifacts();
    const result = await runProcess({ argv: ['seq', '1', '100000'], ...paths });
    expect(result.exitCode).toBe(0);
    const file = readFileSync(paths.stdoutPath, 'utf8');
    expect(result.stdout.total_bytes).toBe(Buffer.byteLength(file));
    expect(result.stdout.total_lines).toBe(100000);
    expect(result.stdout.truncated).toBe(true);
    expect(result.stdout.head.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.stdout.tail.endsWith('99999\n100000\n')).toBe(true);
    expect(result.stdout.head.length + result.stdout.tail.length).toBeLessThan(2000);
  });

  it('applies the transform before disk and listeners, flushing what it held back', async () => {
    const paths = artifacts();
    const masking = () => {
      let held = '';
      return {
        // Holds back the last 5 characters so a secret split across chunks is still seen.
        push(chunk: string) {
          const text = (held + chunk).replaceAll('hunter2', '***');
          held = text.slice(-5);
          return text.slice(0, -5);
        },
        end: () => held.replaceAll('hunter2', '***'),
      };
    };
    const live: string[] = [];
    const result = await runProcess({
      argv: ['sh', '-c', 'printf hun; sleep 0.1; printf "ter2 ok\\n"'],
      ...paths,
      transform: masking,
      onOutput: (_stream: string, text: string) => live.push(text),
    });
    expect(readFileSync(paths.stdoutPath, 'utf8')).toBe('*** ok\n');
    expect(live.join('')).toBe('*** ok\n');
    expect(result.stdout.head).toBe('*** ok\n');
    expect(result.stdout.total_bytes).toBe(7);
  });
});

describe('runProcess exit status and start failures', () => {
  it('reports the signal that ended the child', async () => {
    const result = await runProcess({ argv: ['sh', '-c', 'kill -KILL $$'], ...artifacts() });
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: false, cancelled: false });
  });

  it('turns a missing program into words, not a throw', async () => {
    const result = await runProcess({ argv: ['no-such-program-xyz'], ...artifacts() });
    expect(result.spawnError).toBe("program 'no-such-program-xyz' not found on PATH");
    expect(result.exitCode).toBeNull();
  });

  it('turns a program without execute permission into words', async () => {
    const { dir, ...paths } = artifacts();
    const script = join(dir, 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n');
    chmodSync(script, 0o644);
    const result = await runProcess({ argv: [script], ...paths });
    expect(result.spawnError).toBe(`program '${script}' is not executable (permission denied)`);
  });

  it('names a missing working directory', async () => {
    const result = await runProcess({ argv: ['true'], cwd: '/no/such/dir', ...artifacts() });
    expect(result.spawnError).toBe("working directory '/no/such/dir' does not exist");
  });

  it('gives the child EOF on stdin instead of the terminal', async () => {
    const paths = artifacts();
    const started = Date.now();
    const result = await runProcess({ argv: ['sh', '-c', 'cat; echo "eof after cat"'], ...paths, timeoutMs: 5000 });
    expect(result.timedOut).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(readFileSync(paths.stdoutPath, 'utf8')).toBe('eof after cat\n');
  });

  it('passes a minimal environment plus the step env', async () => {
    process.env.RUNBOOK_TEST_SECRET_TOKEN = 'leaked';
    const paths = artifacts();
    await runProcess({ argv: ['env'], env: { STEP_VAR: 'x y' }, ...paths });
    const names = readFileSync(paths.stdoutPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(0, line.indexOf('=')));
    expect(names).toContain('PATH');
    expect(names).toContain('STEP_VAR');
    expect(names).not.toContain('RUNBOOK_TEST_SECRET_TOKEN');
    // The step's cookie, by which its processes are found wherever they go (step-processes.ts).
    expect(names).toContain('RUNBOOK_STEP_COOKIE');
    for (const name of names) {
      expect(['PATH', 'HOME', 'LANG', 'TZ', 'USER', 'TMPDIR', 'STEP_VAR', 'PWD', 'RUNBOOK_STEP_COOKIE'].includes(name) || name.startsWith('LC_')).toBe(true);
    }
  });
});

describe('runProcess ends the whole process group', () => {
  it('times out `sleep 300 | cat` leaving nothing running, within grace + 1 s', async () => {
    const graceMs = 2000;
    let pgid = 0;
    const started = Date.now();
    const result = await runProcess({
      argv: ['sh', '-c', 'sleep 300 | cat'],
      timeoutMs: 1000,
      graceMs,
      onStart: (id: number) => (pgid = id),
      ...artifacts(),
    });
    const settledMs = Date.now() - started;
    expect(result.timedOut).toBe(true);
    expect(result.pgid).toBe(pgid);
    expect(settledMs).toBeLessThan(1000 + graceMs + 1000);
    expect(groupIsGone(pgid)).toBe(true);
    expect(groupMembers(pgid).filter((member) => member.state !== 'Z')).toEqual([]);
  });

  it('escalates to SIGKILL when the group ignores SIGTERM', async () => {
    let pgid = 0;
    const started = Date.now();
    const result = await runProcess({
      argv: ['sh', '-c', "trap '' TERM; sleep 300 & trap '' TERM; echo ready; wait"],
      timeoutMs: 500,
      graceMs: 500,
      onStart: (id: number) => (pgid = id),
      ...artifacts(),
    });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    // Not before the grace: TERM was ignored, so only the KILL after it ended the group.
    // (How soon after is a figure for docs/processes.md, measured at low load.)
    expect(Date.now() - started).toBeGreaterThanOrEqual(500 + 500);
    expect(groupIsGone(pgid)).toBe(true);
  });

  it('cancels through an AbortSignal', async () => {
    const controller = new AbortController();
    let pgid = 0;
    let abortedAt = 0;
    const result = await runProcess({
      argv: ['sh', '-c', 'echo started; sleep 300 | cat'],
      signal: controller.signal,
      graceMs: 2000,
      onStart: (id: number) => (pgid = id),
      onOutput: () => {
        abortedAt = Date.now();
        controller.abort();
      },
      ...artifacts(),
    });
    expect(Date.now() - abortedAt).toBeLessThan(2000 + 1000);
    expect(result.cancelled).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(pgid).toBeGreaterThan(1);
    expect(groupIsGone(pgid)).toBe(true);
  });

  it('does not start a step whose signal is already aborted', async () => {
    const result = await runProcess({ argv: ['true'], signal: AbortSignal.abort(), ...artifacts() });
    expect(result).toMatchObject({ cancelled: true, exitCode: null });
    expect(result.pgid).toBeUndefined();
  });

  // Settling at all proves the point: the sleeps would hold the pipe for 300 s, far past
  // the test's timeout. No wall-clock bound (the machine's load decides those).
  it('settles when an escaped grandchild holds the pipe, and ends it', async () => {
    const paths = artifacts();
    let pgid = 0;
    const result = await runProcess({
      argv: ['sh', '-c', 'sleep 300 & echo started'],
      onStart: (id: number) => (pgid = id),
      ...paths,
    });
    expect(result.exitCode).toBe(0);
    expect(readFileSync(paths.stdoutPath, 'utf8')).toBe('started\n');
    expect(groupIsGone(pgid)).toBe(true);
  }, 60_000);

  it('settles when a process outside the group holds the pipe, and ends it (its cookie)', async () => {
    const paths = artifacts();
    const result = await runProcess({
      argv: ['sh', '-c', 'setsid sleep 300 & echo $!'],
      ...paths,
    });
    expect(result.exitCode).toBe(0);
    expect(processIsGone(Number(result.stdout.head.trim()))).toBe(true);
  }, 60_000);
});

describe('injection payloads stay data', () => {
  const payloads = [
    '$(touch /tmp/runbook-pwned-1)',
    '`touch /tmp/runbook-pwned-2`',
    '; touch /tmp/runbook-pwned-3',
    'a\ntouch /tmp/runbook-pwned-4',
    "' && touch /tmp/runbook-pwned-5 '",
    '-rf',
    '',
    'ünïcödé ✓',
  ];

  it('reach the child byte for byte through argv and execute nothing', async () => {
    const paths = artifacts();
    await runProcess({ argv: ['sh', '-c', 'printf "%s\\0" "$@"', 'sh', ...payloads], ...paths });
    expect(readFileSync(paths.stdoutPath, 'utf8')).toBe(payloads.map((payload) => `${payload}\0`).join(''));
    for (let i = 1; i <= 5; i += 1) expect(existsSync(`/tmp/runbook-pwned-${i}`)).toBe(false);
  });

  it('reach a shell: script through env only', async () => {
    const paths = artifacts();
    const env = Object.fromEntries(payloads.map((payload, i) => [`VALUE_${i}`, payload]));
    const script = payloads.map((_, i) => `printf '%s\\0' "$VALUE_${i}"`).join('; ');
    await runProcess({ argv: shellArgv(script), env, ...paths });
    expect(readFileSync(paths.stdoutPath, 'utf8')).toBe(payloads.map((payload) => `${payload}\0`).join(''));
    for (let i = 1; i <= 5; i += 1) expect(existsSync(`/tmp/runbook-pwned-${i}`)).toBe(false);
  });
});
