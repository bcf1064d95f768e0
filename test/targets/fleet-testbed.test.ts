// The fleet testbed itself (issue 20): the fake API server answers the real kubectl's
// `get pods -l`, `get deployment -o json` and its 404s; a pod's exec sees only its own
// sandbox; each netns ssh host sees only its own processes; cutting a host's link makes
// it unreachable and restoring it brings it back; teardown leaves no namespace or link.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GoProcess } from '../../src/collectors/discover.js';
import { SSH_CONFIG_ENV } from '../../src/targets/transport.js';
import { runCli } from '../helpers/cli.js';
import { goServiceSkipReason, netnsSkipReason } from '../helpers/go-service.js';
import { processesMatching, toolDirs, uniqueSleep } from '../runner/tool.js';
import { kubectlSkipReason } from './kubectl-client.js';
import { FLEET_DEPLOYMENT, FLEET_NAMESPACE, startKubeFleet, type KubeFleet } from './kube-fleet.js';
import { matches, parseSelector } from './label-selector.js';
import { startSshHosts, type SshHosts } from './netns-ssh-hosts.js';
import { startSandbox } from './pod-sandbox.js';

const skip = kubectlSkipReason ?? goServiceSkipReason ?? netnsSkipReason;

describe('label selectors with the API server semantics', () => {
  const pick = (selector: string, labels: Record<string, string>) => {
    const parsed = parseSelector(selector);
    if ('error' in parsed) throw new Error(parsed.error);
    return matches(parsed, labels);
  };
  it.each([
    ['app=api', { app: 'api' }, true],
    ['app==api', { app: 'api' }, true],
    ['app=api', { app: 'web' }, false],
    ['tier!=canary', {}, true],
    ['tier!=canary', { tier: 'canary' }, false],
    ['tier in (web, batch)', { tier: 'batch' }, true],
    ['tier in (web,batch)', {}, false],
    ['tier notin (canary)', {}, true],
    ['tier notin (canary),app=api', { tier: 'web', app: 'api' }, true],
    ['tier', { tier: '' }, true],
    ['!tier', { tier: 'web' }, false],
    ['!tier', { app: 'api' }, true],
  ])('%s on %o is %s', (selector, labels, expected) => {
    expect(pick(selector, labels)).toBe(expected);
  });
  it('refuses what is no selector, as the server does', () => {
    expect(parseSelector('a in b')).toEqual({ error: expect.stringContaining('unable to parse requirement') });
  });
});

describe.skipIf(skip !== undefined)(`the fleet testbed${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let fleet: KubeFleet;
  const kubectl = (args: string[]) => execa('kubectl', ['--context', 'prod', '-n', FLEET_NAMESPACE, ...args], { env: { ...process.env, ...fleet.api.env }, reject: false, stdin: 'ignore' });

  beforeAll(async () => {
    fleet = await startKubeFleet({ pods: 3, services: (i) => [{ mode: i === 0 ? 'go-heap' : 'healthy', rate: 1 + i }] });
  }, 120_000);
  afterAll(async () => fleet?.stop());

  it('kubectl get pods -l answers with the pods the selector picks, decoys left out', async () => {
    const names = async (selector: string) => {
      const result = await kubectl(['get', 'pods', '-l', selector, '-o', 'json']);
      expect(result.exitCode, String(result.stderr)).toBe(0);
      return (JSON.parse(String(result.stdout)) as { items: { metadata: { name: string } }[] }).items.map((p) => p.metadata.name).sort();
    };
    const deployment = fleet.pods.map((p) => p.name).sort();
    expect(await names(`app=${FLEET_DEPLOYMENT},tier!=canary`)).toEqual(deployment);
    expect(await names(`app in (${FLEET_DEPLOYMENT}),tier notin (canary)`)).toEqual(deployment);
    expect(await names('tier=canary')).toEqual([`${FLEET_DEPLOYMENT}-canary-0`]);
    expect(await names('!pod-template-hash')).toEqual(['ledger-0', `${FLEET_DEPLOYMENT}-canary-0`]);
    expect(await names('app=nothing')).toEqual([]);
    const bad = await kubectl(['get', 'pods', '-l', 'app in api']);
    expect(bad.exitCode).toBe(1);
    expect(String(bad.stderr)).toContain('Error from server (BadRequest)');
  }, 60_000);

  it('kubectl get deployment -o json is the workload with its selector; the pods carry what a resolver reads', async () => {
    const result = await kubectl(['get', 'deployment', FLEET_DEPLOYMENT, '-o', 'json']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const deployment = JSON.parse(String(result.stdout)) as { kind: string; spec: { selector: unknown; replicas: number } };
    expect(deployment).toMatchObject({
      kind: 'Deployment',
      spec: { replicas: 3, selector: { matchLabels: { app: FLEET_DEPLOYMENT }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['canary'] }] } },
    });
    const pod = JSON.parse(String((await kubectl(['get', 'pod', fleet.pods[0]!.name, '-o', 'json'])).stdout)) as Record<string, any>;
    expect(pod['metadata']).toMatchObject({
      annotations: { 'kubectl.kubernetes.io/default-container': 'app' },
      ownerReferences: [{ kind: 'ReplicaSet', controller: true, name: expect.stringMatching(new RegExp(`^${FLEET_DEPLOYMENT}-[0-9a-f]{10}$`)) }],
    });
    expect(pod['status']).toMatchObject({ phase: 'Running', containerStatuses: [{ name: 'app', ready: true }, { name: 'istio-proxy', ready: true }] });
    const missing = await kubectl(['get', 'statefulset', 'nope', '-o', 'json']);
    expect(missing.exitCode).toBe(1);
    expect(String(missing.stderr)).toContain('Error from server (NotFound): statefulsets.apps "nope" not found');
    const daemonsets = await kubectl(['get', 'daemonsets', '-o', 'json']);
    expect(daemonsets.exitCode, String(daemonsets.stderr)).toBe(0);
    expect(JSON.parse(String(daemonsets.stdout))).toMatchObject({ items: [] });
  }, 60_000);

  it('an exec in one pod sees only that pod: its own processes, its own leaky, its own 127.0.0.1', async () => {
    for (const [i, pod] of fleet.pods.entries()) {
      const ps = await kubectl(['exec', pod.name, '--', 'ps', '-e', '-o', 'args=']);
      expect(ps.exitCode, String(ps.stderr)).toBe(0);
      const leaky = String(ps.stdout).split('\n').filter((line) => /\bleaky-\S+ -mode /.test(line));
      expect(leaky).toHaveLength(1);
      expect(leaky[0]).toContain(`-mode ${i === 0 ? 'go-heap' : 'healthy'} -rate ${1 + i}`);
      expect(String(ps.stdout)).not.toContain('vitest');
      const service = fleet.sandboxes[i]!.services[0]!;
      const vars = await kubectl(['exec', pod.name, '--', 'curl', '-sf', `http://${service.address}/debug/vars`]);
      expect(vars.exitCode, String(vars.stderr)).toBe(0);
      expect(String(vars.stdout)).toContain('"memstats"');
    }
    // The service of pod 0 does not listen on this machine's loopback.
    const outside = await execa('curl', ['-sf', '--max-time', '5', `http://${fleet.sandboxes[0]!.services[0]!.address}/debug/vars`], { reject: false });
    expect(outside.exitCode).not.toBe(0);
  }, 60_000);

  it('runbook ps --target kubectl:// in a pod lists that pod\'s service as pid it has there', async () => {
    const dirs = toolDirs();
    try {
      Object.assign(dirs.env, fleet.api.env);
      for (const i of [0, 2]) {
        const result = await runCli(['ps', '--json', '--target', fleet.podUrl(i)], { env: dirs.env });
        expect(result.exitCode, result.stderr).toBe(0);
        const processes = JSON.parse(result.stdout) as GoProcess[];
        const service = fleet.sandboxes[i]!.services[0]!;
        expect(processes.map((p) => [p.pid, p.pprof])).toEqual([[service.pid, `http://${service.address}`]]);
      }
    } finally {
      dirs.remove();
    }
  }, 90_000);
});

describe.skipIf((goServiceSkipReason ?? netnsSkipReason) !== undefined)(`netns ssh hosts${skip ? ` (skipped: ${goServiceSkipReason ?? netnsSkipReason})` : ''}`, () => {
  let set: SshHosts;
  const modes = ['go-heap', 'healthy', 'goroutine-leak'];
  const ssh = (address: string, argv: string[]) =>
    execa('ssh', ['-F', set.sshConfig, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '--', address, ...argv], { reject: false, stdin: 'ignore' });

  beforeAll(async () => {
    set = await startSshHosts(3, (i) => [{ mode: modes[i]! }]);
  }, 120_000);
  afterAll(async () => set?.stop());

  it('ssh to each host reaches that host and sees only its processes', async () => {
    for (const [i, host] of set.hosts.entries()) {
      const ps = await ssh(host.address, ['ps', '-e', '-o', 'args=']);
      expect(ps.exitCode, String(ps.stderr)).toBe(0);
      const leaky = String(ps.stdout).split('\n').filter((line) => /\bleaky-\S+ -mode /.test(line));
      expect(leaky).toEqual([expect.stringContaining(`-mode ${modes[i]}`)]);
      expect(String(ps.stdout)).not.toContain('vitest');
      expect(host.url).toBe(`ssh://root@${host.address}`);
    }
  }, 60_000);

  it('runbook ps --target ssh:// on a host lists only that host\'s service', async () => {
    const dirs = toolDirs();
    try {
      dirs.env[SSH_CONFIG_ENV] = set.sshConfig;
      const host = set.hosts[1]!;
      const result = await runCli(['ps', '--json', '--target', host.url], { env: dirs.env });
      expect(result.exitCode, result.stderr).toBe(0);
      const service = host.sandbox.services[0]!;
      expect((JSON.parse(result.stdout) as GoProcess[]).map((p) => [p.pid, p.pprof])).toEqual([[service.pid, `http://${service.address}`]]);
    } finally {
      dirs.remove();
    }
  }, 90_000);

  it('a cut host is unreachable at once while the others answer, and comes back when restored', async () => {
    const [first, cut, last] = set.hosts;
    await cut!.cut();
    try {
      const refused = await ssh(cut!.address, ['true']);
      expect(refused.exitCode).toBe(255);
      expect(String(refused.stderr)).toMatch(/Network is unreachable|No route to host/);
      expect((await ssh(first!.address, ['true'])).exitCode).toBe(0);
      expect((await ssh(last!.address, ['true'])).exitCode).toBe(0);
    } finally {
      await cut!.restore();
    }
    expect((await ssh(cut!.address, ['true'])).exitCode).toBe(0);
  }, 60_000);
});

describe.skipIf((goServiceSkipReason ?? netnsSkipReason) !== undefined)('teardown', () => {
  it('stopping a sandbox ends every process in it; stopping hosts removes their links', async () => {
    const sandbox = await startSandbox({ label: 'teardown', services: [{ mode: 'healthy' }] });
    const marker = uniqueSleep();
    expect((await sandbox.run(['sh', '-c', `sleep ${marker} >/dev/null 2>&1 &`])).exitCode).toBe(0);
    // Seen from this machine too: the sandbox's processes are in this machine's process table.
    expect(processesMatching(marker)).toHaveLength(1);
    await sandbox.stop();
    expect(processesMatching(marker)).toEqual([]);
    expect(existsSync(`/proc/${sandbox.initPid}`)).toBe(false);
    const hosts = await startSshHosts(1, () => []);
    const initPid = hosts.hosts[0]!.sandbox.initPid;
    const address = hosts.hosts[0]!.address;
    await hosts.stop();
    expect(existsSync(`/proc/${initPid}`)).toBe(false);
    expect(String((await execa('ip', ['-4', 'addr'])).stdout)).not.toContain(address.replace(/\d+$/, ''));
  }, 60_000);
});
