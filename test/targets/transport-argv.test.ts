// The exact local argv of each transport, as a table of inputs to argv. The ssh transport
// also runs against a real sshd (ssh-transport.test.ts); the kubectl one with the real
// kubectl client against a fake API server whose exec runs on this machine
// (kubectl-transport.test.ts); it is not tried against a real cluster, kubelet or container
// runtime: docs/remote.md, "What was tried, and what was not".
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTarget, type Target } from '../../src/targets/target.js';
import { boundedRemoteArgv, invocationFor, kubectlArgv, readFileArgv, REMOTE_WATCHER, sshArgv, SSH_CONFIG_ENV } from '../../src/targets/transport.js';

const command = { argv: ['cat', '/proc/42/status'], timeoutMs: 60_000, graceMs: 2_000 };
const bounded = ['sh', '-c', REMOTE_WATCHER, 'runbook-remote', 'timeout', '-k', '2s', '--', '60s', 'cat', '/proc/42/status'];

function kube(url: string): Extract<Target, { kind: 'kubectl' }> {
  const target = parseTarget(url);
  if (target.kind !== 'kubectl') throw new Error(url);
  return target;
}

describe('boundedRemoteArgv', () => {
  it('wraps the command in the watcher and timeout -k', () => {
    expect(boundedRemoteArgv(command)).toEqual(bounded);
  });

  it('rounds the bounds up to whole seconds, at least 1', () => {
    expect(boundedRemoteArgv({ argv: ['x'], timeoutMs: 1_500, graceMs: 10 }).slice(4, 9)).toEqual(['timeout', '-k', '1s', '--', '2s']);
  });

  it('sets env through env NAME=VALUE, values untouched', () => {
    expect(boundedRemoteArgv({ ...command, env: { PID: '42', X: '$(id); `id`' } }).slice(9)).toEqual(['env', 'PID=42', 'X=$(id); `id`', 'cat', '/proc/42/status']);
  });

  it('refuses env names that env would read otherwise', () => {
    expect(() => boundedRemoteArgv({ ...command, env: { '-i': 'x' } })).toThrow(/not \[A-Za-z_\]/);
    expect(() => boundedRemoteArgv({ ...command, env: { 'A=B': 'x' } })).toThrow(/not \[A-Za-z_\]/);
  });
});

describe('kubectl transport', () => {
  it.each([
    ['kubectl://payments/api-7d9f', ['kubectl', 'exec', '-i', '-n', 'payments', 'api-7d9f', '--']],
    ['kubectl://prod/payments/api-7d9f', ['kubectl', '--context', 'prod', 'exec', '-i', '-n', 'payments', 'api-7d9f', '--']],
    ['kubectl://prod/payments/api-7d9f/app', ['kubectl', '--context', 'prod', 'exec', '-i', '-n', 'payments', 'api-7d9f', '-c', 'app', '--']],
    ['kubectl:///payments/api-7d9f/app', ['kubectl', 'exec', '-i', '-n', 'payments', 'api-7d9f', '-c', 'app', '--']],
    [
      'kubectl://arn:aws:eks:eu-west-1:1:cluster%2Fprod/default/web-0',
      ['kubectl', '--context', 'arn:aws:eks:eu-west-1:1:cluster/prod', 'exec', '-i', '-n', 'default', 'web-0', '--'],
    ],
  ])('%s', (url, prefix) => {
    // kubectl exec hands argv to the container runtime without a shell: no extra quoting.
    expect(kubectlArgv(kube(url), bounded)).toEqual([...prefix, ...bounded]);
    expect(invocationFor(kube(url), command, {})).toEqual({ argv: [...prefix, ...bounded], env: {}, stdin: 'pipe' });
  });

  it('passes KUBECONFIG through, and nothing else of the environment', () => {
    const invocation = invocationFor(kube('kubectl://ns/pod'), command, { KUBECONFIG: '/k/config', SSH_AUTH_SOCK: '/a', AWS_SECRET_ACCESS_KEY: 'x' });
    expect(invocation.env).toEqual({ KUBECONFIG: '/k/config' });
  });

  it('payload values stay single argv elements after --', () => {
    const payload = ['$(touch /tmp/x)', '; rm -rf /', '`id`', 'a\nb', '-c', '--context=evil'];
    const argv = invocationFor(kube('kubectl://ns/pod'), { ...command, argv: ['echo', ...payload] }, {}).argv;
    expect(argv.slice(argv.indexOf('--') + 1).slice(-payload.length)).toEqual(payload);
    expect(argv.indexOf('--')).toBe(6);
  });
});

describe('ssh transport', () => {
  it('puts options before --, the host after it, and ONE quoted remote string', () => {
    const target = parseTarget('ssh://deploy@app-1:2222');
    if (target.kind !== 'ssh') throw new Error('ssh');
    expect(sshArgv(target, ['echo', "it's", '$(id)'], '/etc/runbook/ssh_config')).toEqual([
      'ssh',
      '-T',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      '-F',
      '/etc/runbook/ssh_config',
      '-p',
      '2222',
      '-l',
      'deploy',
      '--',
      'app-1',
      `echo 'it'\\''s' '$(id)'`,
    ]);
  });

  it('takes the ssh config from RUNBOOK_SSH_CONFIG and the agent socket from the environment', () => {
    const invocation = invocationFor(parseTarget('ssh://h'), command, { [SSH_CONFIG_ENV]: '/c', SSH_AUTH_SOCK: '/agent', KUBECONFIG: '/k' });
    expect(invocation.argv.slice(0, 10)).toEqual(['ssh', '-T', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-F', '/c', '--', 'h']);
    expect(invocation.argv).toHaveLength(11);
    expect(invocation.env).toEqual({ SSH_AUTH_SOCK: '/agent' });
    expect(invocation.stdin).toBe('pipe');
  });

  it('local runs the argv itself with its env and no stdin', () => {
    expect(invocationFor(parseTarget('local'), { ...command, env: { A: '1' } }, {})).toEqual({ argv: command.argv, env: { A: '1' }, stdin: 'ignore' });
  });
});

describe('readFileArgv', () => {
  it('reads a /proc seq_file whole, though one read() of it returns about a page', () => {
    // A sleeping process's smaps: stable, and several pages (one read() gave 3,967 of a
    // Go service's 49,885 bytes).
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const [file, ...args] = readFileArgv(`/proc/${sleeper.pid}/smaps`, 64 << 20);
      const read = spawnSync(file!, args, { encoding: 'utf8' });
      expect(read.status, read.stderr).toBe(0);
      expect(read.stdout.length).toBeGreaterThan(8_192);
      const mappings = readFileSync(`/proc/${sleeper.pid}/maps`, 'utf8').trimEnd().split('\n');
      expect(read.stdout.match(/^Rss:/gm)).toHaveLength(mappings.length);
      expect(read.stdout.startsWith(mappings[0]!)).toBe(true);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('is one dd block of max + 1 bytes, the path a whole operand', () => {
    expect(readFileArgv('/proc/1/maps', 100)).toEqual(['dd', 'if=/proc/1/maps', 'bs=101', 'count=1', 'iflag=fullblock', 'status=none']);
    expect(readFileArgv('-x y', 1)).toEqual(['dd', 'if=-x y', 'bs=2', 'count=1', 'iflag=fullblock', 'status=none']);
  });
});
