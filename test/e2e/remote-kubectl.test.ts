// `runbook run|ps|capture --target kubectl://…` end to end: the built CLI, the REAL kubectl
// client, and a fake API server whose "container" is this machine
// (test/targets/fake-kube-apiserver.ts). The same conclusion as a local run, the payload
// delivered literally, SIGINT leaves nothing running, and process discovery and capture go
// through kubectl exec.
import { readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/collectors/bundle.js';
import type { GoProcess } from '../../src/collectors/discover.js';
import type { JournalRecord } from '../../src/journal/records.js';
import { exportSession } from '../../src/notes/export.js';
import { runCli } from '../helpers/cli.js';
import { psWarningsAbout } from '../helpers/ps-warnings.js';
import { gcLineCount, goServiceSkipReason, installedGoVersion, startGoService, waitUntil, type GoService } from '../helpers/go-service.js';
import { journalRecords, programsMatching, sessionIds, startTool, toolDirs, waitFor, waitForNoProcess, type ToolDirs } from '../runner/tool.js';
import type { FakeKubeApiserver } from '../targets/fake-kube-apiserver.js';
import { kubectlSkipReason } from '../targets/kubectl-client.js';
import { NAMESPACE, POD, startTestCluster } from '../targets/kube-test-cluster.js';

const fixtures = fileURLToPath(new URL('../fixtures/targets/', import.meta.url));
const checkRunbook = join(fixtures, 'remote-check.yaml');
const sleepRunbook = join(fixtures, 'remote-sleep.yaml');
const TARGET = `kubectl://prod/${NAMESPACE}/${POD}/app`;
const PAYLOAD = "$(touch /tmp/runbook-e2e-kube-pwned) `touch /tmp/runbook-e2e-kube-pwned` ; 'q' \"d\" -oX\nsecond line";

function onlySession(state: string): JournalRecord[] {
  const ids = sessionIds(state);
  expect(ids).toHaveLength(1);
  return journalRecords(state, ids[0]!);
}

function conclusion(records: JournalRecord[]): { finding: string; text: string } | undefined {
  const record = records.find((r) => r.type === 'session.concluded');
  return record && record.type === 'session.concluded' ? { finding: record.finding, text: record.text } : undefined;
}

describe.skipIf(kubectlSkipReason !== undefined)(
  `runbook --target kubectl:// (real kubectl, fake API server)${kubectlSkipReason ? ` (skipped: ${kubectlSkipReason})` : ''}`,
  () => {
    let api: FakeKubeApiserver;
    let dirs: ToolDirs;
    beforeAll(async () => {
      api = await startTestCluster();
    });
    afterAll(async () => api?.stop());
    beforeEach(() => {
      dirs = toolDirs();
      Object.assign(dirs.env, api.env);
    });
    afterEach(() => dirs.remove());

    it('reaches the same conclusion as a local run, the payload delivered byte for byte', async () => {
      const local = toolDirs();
      try {
        const localRun = await runCli(['run', checkRunbook, '--var', `payload=${PAYLOAD}`], { env: local.env });
        expect(localRun.exitCode, localRun.stderr).toBe(0);
        const remote = await runCli(['run', checkRunbook, '--target', TARGET, '--var', `payload=${PAYLOAD}`], { env: dirs.env });
        expect(remote.exitCode, remote.stderr).toBe(0);
        const records = onlySession(dirs.state);
        expect(conclusion(records)).toEqual(conclusion(onlySession(local.state)));
        expect(conclusion(records)?.finding).toBe('busy');
      } finally {
        local.remove();
      }
      const records = onlySession(dirs.state);
      const echo = records.find((r) => r.type === 'step.finished' && r.step === 'echo');
      expect(echo?.type === 'step.finished' && echo.output?.head).toBe(`payload=${PAYLOAD}\nworkers=7\n`);
      // Both command steps went through kubectl exec into the pod the URL names.
      expect(api.execs.slice(-2).map((e) => [e.cluster, e.namespace, e.pod, e.container, e.command.at(-1)])).toEqual([
        ['prod', NAMESPACE, POD, 'app', PAYLOAD],
        ['prod', NAMESPACE, POD, 'app', 'status=none'],
      ]);
      expect(exportSession(records)).toContain(`on \`${TARGET}\``);
    }, 60_000);

    it('SIGINT during a remote step ends the session 130 and leaves no process on the far side', async () => {
      const marker = `600.${process.pid}${Math.floor(Math.random() * 1e6)}`;
      const tool = startTool(['run', sleepRunbook, '--target', TARGET, '--var', `seconds=${marker}`], dirs.env);
      await waitFor(() => programsMatching('sleep', marker).length > 0, 20_000, 'the remote sleep to start');
      tool.child.kill('SIGINT');
      const exit = await tool.exit;
      expect(exit.code, tool.stderr()).toBe(130);
      await waitForNoProcess(marker, 10_000, 'every process carrying the marker to end');
      const finished = onlySession(dirs.state).find((r) => r.type === 'step.finished' && r.step === 'nap');
      expect(finished?.type === 'step.finished' && finished.status).toBe('cancelled');
    }, 60_000);

    describe.skipIf(goServiceSkipReason !== undefined)(`on the Go test service${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
      let service: GoService;
      beforeAll(async () => {
        service = await startGoService('go-heap');
      });
      afterAll(async () => service?.stop());

      it('runbook ps --target lists the processes in the pod as the local ps does, through batched execs', async () => {
        const execsBefore = api.execs.length;
        const [remote, local] = await Promise.all([runCli(['ps', '--json', '--target', TARGET], { env: dirs.env }), runCli(['ps', '--json'])]);
        expect(remote.exitCode, remote.stderr).toBe(0);
        expect(psWarningsAbout(remote.stderr, [service.pid])).toEqual([]);
        const { rss_kb: _rss, ...seen } = (JSON.parse(remote.stdout) as GoProcess[]).find((p) => p.pid === service.pid)!;
        const { rss_kb: _localRss, ...expected } = (JSON.parse(local.stdout) as GoProcess[]).find((p) => p.pid === service.pid)!;
        expect(seen).toEqual(expected);
        expect(seen).toMatchObject({ go_version: installedGoVersion(), pprof: service.url });
        expect(api.execs.at(-1)).toMatchObject({ cluster: 'prod', pod: POD, container: 'app' });
        // executables, 4 rounds of the ELF walk, the Go processes' files, the pprof probe, as
        // over ssh. No upper bound here: one more walk step each time a binary's oldest process
        // exits mid-read, and other test files start and stop this same binary all through a
        // run (a fixed bound failed on that churn over ssh). That the count does not grow with
        // the number of processes is test/targets/remote-discovery.test.ts's, by 2 against 22.
        expect(api.execs.length - execsBefore).toBeGreaterThanOrEqual(7);
      }, 60_000);

      it('runbook capture --target writes a bundle through kubectl exec', async () => {
        await waitUntil('a gctrace line', () => gcLineCount(service) > 0);
        const out = join(dirs.state, '..', 'bundle');
        const result = await runCli(
          ['capture', '--target', TARGET, '--pid', String(service.pid), '--interval', '500ms', '--count', '2', '--gctrace', service.stderrPath, '--out', out],
          { env: dirs.env },
        );
        expect(result.exitCode, result.stderr).toBe(0);
        expect(result.stderr).not.toMatch(/warning|missing/);
        expect(readBundle(out).meta).toMatchObject({ pid: service.pid, go_version: installedGoVersion(), pprof: service.url, host: hostname(), target: TARGET });
        expect(readdirSync(join(out, 'snapshots', '1')).sort()).toEqual(
          ['environ', 'goroutine.pb.gz', 'goroutine.txt', 'heap.pb.gz', 'heap.txt', 'host_cpu', 'maps', 'smaps', 'smaps_rollup', 'status', 'taken_at', 'vars.json'],
        );
        const gone = await runCli(['capture', '--target', TARGET, '--pid', '999999999', '--out', join(dirs.state, '..', 'b')], { env: dirs.env });
        expect(gone.exitCode).toBe(2);
        expect(gone.stderr).toContain(`cannot capture pid 999999999 on ${TARGET}`);
      }, 90_000);
    });
  },
);
