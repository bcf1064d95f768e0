// The kubectl transport with the REAL kubectl client against a fake API server
// (fake-kube-apiserver.ts) whose "container" is this machine: kubectl, the transport's argv,
// the remote watcher and `timeout` are real; the API server and the kubelet are the fake.
// What arrives is checked on both sides: the exec request's `command` parameters as the
// server decoded them, and what the process received; the far side's process table is this
// machine's.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRACE_MS } from '../../src/exec/process-group.js';
import { captureOnTarget, readFileOnTarget, runOnTarget } from '../../src/targets/run-on-target.js';
import { parseTarget } from '../../src/targets/target.js';
import { boundedRemoteArgv, invocationFor } from '../../src/targets/transport.js';
import { programsMatching, uniqueSleep, waitFor, waitForNoProcess } from '../runner/tool.js';
import type { FakeKubeApiserver } from './fake-kube-apiserver.js';
import { PAYLOADS, PWNED_FILES } from './injection-payloads.js';
import { kubectlClient, kubectlSkipReason } from './kubectl-client.js';
import { CURRENT_CONTEXT, NAMESPACE, POD, startTestCluster } from './kube-test-cluster.js';

const PROD_APP = `kubectl://prod/${NAMESPACE}/${POD}/app`;
const CURRENT = `kubectl://${NAMESPACE}/${POD}`;

describe.skipIf(kubectlSkipReason !== undefined)(
  `kubectl transport: real kubectl, fake API server${kubectlSkipReason ? ` (skipped: ${kubectlSkipReason})` : ''}`,
  () => {
    let api: FakeKubeApiserver;
    let work: string;
    const saved = { KUBECONFIG: process.env['KUBECONFIG'], HOME: process.env['HOME'] };

    beforeAll(async () => {
      api = await startTestCluster();
      // The transport passes KUBECONFIG through and every step inherits HOME (exec/minimal-env.ts).
      Object.assign(process.env, api.env);
      work = mkdtempSync(join(tmpdir(), 'runbook-kubectl-test-'));
    });
    afterAll(async () => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(work, { recursive: true, force: true });
      await api?.stop();
    });

    const files = (name: string) => ({ stdoutPath: join(work, `${name}.out`), stderrPath: join(work, `${name}.err`) });

    it('execs the bounded argv in the pod and container the URL names, through the context it names', async () => {
      const captured = await captureOnTarget(parseTarget(PROD_APP), ['echo', 'hello', 'world'], { timeoutMs: 15_000, maxBytes: 1 << 20 });
      expect(captured).toEqual({ ok: true, bytes: Buffer.from('hello world\n') });
      expect(api.execs.at(-1)).toMatchObject({
        cluster: 'prod',
        namespace: NAMESPACE,
        pod: POD,
        container: 'app',
        command: boundedRemoteArgv({ argv: ['echo', 'hello', 'world'], timeoutMs: 15_000, graceMs: DEFAULT_GRACE_MS }),
      });
      const exec = api.requests.filter((r) => r.path.endsWith('/exec')).at(-1);
      expect(exec).toMatchObject({ method: 'GET', subprotocol: 'v5.channel.k8s.io', path: `/api/v1/namespaces/${NAMESPACE}/pods/${POD}/exec` });
      expect(new URLSearchParams(exec!.query).get('stdin')).toBe('true');
      // The client the skip check looked at (not another one a kubectl dispatcher chose).
      const { minor, patch } = kubectlClient();
      expect(exec!.userAgent).toMatch(new RegExp(`^kubectl/v1\\.${minor}\\.${patch} `));

      // Without a context: the kubeconfig's current one; without a container: kubectl's default.
      const current = await captureOnTarget(parseTarget(CURRENT), ['true'], { timeoutMs: 15_000, maxBytes: 1 << 20 });
      expect(current).toEqual({ ok: true, bytes: Buffer.alloc(0) });
      expect(api.execs.at(-1)).toMatchObject({ cluster: CURRENT_CONTEXT, namespace: NAMESPACE, pod: POD, container: 'app' });
    });

    it('delivers every payload byte for byte as one argument, never as shell syntax', async () => {
      const argv = ['printf', '%s\\0', ...PAYLOADS];
      const captured = await captureOnTarget(parseTarget(PROD_APP), argv, { timeoutMs: 15_000, maxBytes: 1 << 20 });
      if (!captured.ok) throw new Error(captured.reason);
      // What the process received (printf prints each argument NUL-terminated)…
      expect(captured.bytes.toString('utf8').split('\0').slice(0, -1)).toEqual(PAYLOADS);
      // …and what kubectl put in the exec request: the transport's argv, element for element.
      expect(api.execs.at(-1)?.command.slice(-argv.length)).toEqual(argv);
      for (const file of PWNED_FILES) expect(existsSync(file)).toBe(false);
    });

    it('delivers env values literally through env NAME=VALUE', async () => {
      const value = '$(touch /tmp/runbook-pwned-env); `id` \'x\'\nsecond line -oX';
      const result = await runOnTarget(parseTarget(PROD_APP), { argv: ['sh', '-c', 'printf %s "$PAYLOAD"'], env: { PAYLOAD: value }, timeoutMs: 15_000, ...files('env') });
      expect(result.exitCode).toBe(0);
      expect(readFileSync(join(work, 'env.out'), 'utf8')).toBe(value);
      expect(existsSync('/tmp/runbook-pwned-env')).toBe(false);
    });

    it('brings back the exit code and stderr; a failed capture gives kubectl’s words', async () => {
      const result = await runOnTarget(parseTarget(PROD_APP), { argv: ['sh', '-c', 'echo out; echo oops >&2; exit 3'], timeoutMs: 15_000, ...files('exit') });
      expect(result.exitCode).toBe(3);
      expect(readFileSync(join(work, 'exit.out'), 'utf8')).toBe('out\n');
      expect(result.stderr.head).toBe('oops\ncommand terminated with exit code 3\n');
      const captured = await captureOnTarget(parseTarget(PROD_APP), ['sh', '-c', 'exit 3'], { timeoutMs: 15_000, maxBytes: 1 << 20 });
      expect(captured).toEqual({ ok: false, reason: expect.stringMatching(/^sh -c 'exit 3' on kubectl:\/\/prod\/.*: exit 3: command terminated with exit code 3$/), retry: true });
    });

    it('reads a file in the pod in one read, cut at the cap', async () => {
      const status = await readFileOnTarget(parseTarget(PROD_APP), '/proc/self/status', { maxBytes: 100, timeoutMs: 15_000 });
      if (!status.ok) throw new Error(status.reason);
      // /proc/self is dd itself on the far side.
      expect(status.bytes.toString()).toMatch(/^Name:\s+dd\n/);
      expect(status.truncated).toBe(true);
    });

    it.each([
      [`kubectl://prod/${NAMESPACE}/no-such-pod`, 'Error from server (NotFound): pods "no-such-pod" not found'],
      [`kubectl://prod/no-such-ns/${POD}`, 'Error from server (NotFound): namespaces "no-such-ns" not found'],
      // sidecar is a container of the pod in prod only: the URL's context is the one used.
      [`kubectl:///${NAMESPACE}/${POD}/sidecar`, `Error from server (BadRequest): container sidecar is not valid for pod ${POD}`],
      [`kubectl://no-such-context/${NAMESPACE}/${POD}`, 'error: context "no-such-context" does not exist'],
    ])('%s fails with kubectl’s reason', async (url, reason) => {
      const captured = await captureOnTarget(parseTarget(url), ['true'], { timeoutMs: 15_000, maxBytes: 1 << 20 });
      expect(captured).toEqual({ ok: false, reason: `true on ${url}: exit 1: ${reason}`, retry: true });
    });

    it('the same container name in the context that has it runs', async () => {
      const captured = await captureOnTarget(parseTarget(`kubectl://prod/${NAMESPACE}/${POD}/sidecar`), ['echo', 'ok'], { timeoutMs: 15_000, maxBytes: 1 << 20 });
      expect(captured).toEqual({ ok: true, bytes: Buffer.from('ok\n') });
      expect(api.execs.at(-1)).toMatchObject({ cluster: 'prod', container: 'sidecar' });
    });

    it('a cancelled step leaves no process on the far side', async () => {
      const marker = uniqueSleep();
      const controller = new AbortController();
      const running = runOnTarget(parseTarget(PROD_APP), { argv: ['sleep', marker], timeoutMs: 120_000, graceMs: 1000, signal: controller.signal, ...files('cancel') });
      await waitFor(() => programsMatching('sleep', marker).length > 0, 15_000, 'the remote sleep to start');
      controller.abort();
      const result = await running;
      expect(result.cancelled).toBe(true);
      await waitForNoProcess(marker, 10_000, 'every process carrying the marker to end after cancel');
    });

    it.each(Array.from({ length: 3 }, (_, i) => i + 1))('a step cancelled the moment its exec arrives leaves no process on the far side (%i)', async () => {
      // The watcher and `timeout` are still starting when the connection drops.
      const marker = uniqueSleep();
      const controller = new AbortController();
      const execsBefore = api.execs.length;
      const running = runOnTarget(parseTarget(PROD_APP), { argv: ['sleep', marker], timeoutMs: 120_000, graceMs: 1000, signal: controller.signal, ...files('early') });
      await waitFor(() => api.execs.length > execsBefore, 15_000, 'the exec request');
      controller.abort();
      expect((await running).cancelled).toBe(true);
      await waitForNoProcess(marker, 10_000, 'every process carrying the marker to end after an early cancel');
    });

    it('a timed-out step leaves no process on the far side', async () => {
      const marker = uniqueSleep();
      const startedAt = Date.now();
      const result = await runOnTarget(parseTarget(PROD_APP), { argv: ['sleep', marker], timeoutMs: 2_000, graceMs: 1000, ...files('timeout') });
      expect(result.timedOut).toBe(true);
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      await waitForNoProcess(marker, 10_000, 'every process carrying the marker to end after the timeout');
    });

    it('the far side bounds itself: its timeout ends the command while the local kubectl is left alone', async () => {
      // The transport's own kubectl argv, run with no local timeout: only the remote
      // `timeout -k 1s -- 2s` can end it; kubectl then exits with timeout's 124.
      const marker = uniqueSleep();
      const invocation = invocationFor(parseTarget(PROD_APP), { argv: ['sleep', marker], timeoutMs: 2_000, graceMs: 1000 });
      const startedAt = Date.now();
      const kubectl = await execa(invocation.argv[0]!, invocation.argv.slice(1), { env: invocation.env, stdin: 'pipe', reject: false, timeout: 30_000 });
      expect(kubectl.timedOut).toBe(false);
      expect(kubectl.exitCode).toBe(124);
      expect(kubectl.stderr).toBe('command terminated with exit code 124');
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      await waitForNoProcess(marker, 10_000, 'every process carrying the marker to end after the remote timeout');
    });

    it('the far side ends the command when the local kubectl is killed without a word', async () => {
      // SIGKILL of the local process group (what the watchdog does when the tool dies): the
      // WebSocket drops, the exec's stdin closes, the watcher sends TERM.
      const marker = uniqueSleep();
      let pgid = 0;
      const running = runOnTarget(parseTarget(PROD_APP), { argv: ['sleep', marker], timeoutMs: 120_000, graceMs: 1000, onStart: (id) => (pgid = id), ...files('kill') });
      await waitFor(() => programsMatching('sleep', marker).length > 0, 15_000, 'the remote sleep to start');
      process.kill(-pgid, 'SIGKILL');
      await running;
      await waitForNoProcess(marker, 10_000, 'every process carrying the marker to end after kubectl died');
    });
  },
);
