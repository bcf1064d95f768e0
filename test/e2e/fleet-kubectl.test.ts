// `runbook run go-memory --fleet kubectl://…/deployment/…` end to end (issue 20): the built
// CLI, the REAL kubectl, the fake API server (test/targets/kube-fleet.ts) with a Deployment
// of 5 pods, each pod a sandbox of its own with its own Go test service. Two pods leak (which
// two, and how, vary between runs: a Go heap and a C heap leak, or two Go heap leaks at
// different rates), three are healthy; the fleet's answer names exactly the two. SIGINT
// mid-run exits 130 and leaves nothing carrying the run's marker in any pod.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { buildLeaky, goServiceSkipReason, netnsSkipReason } from '../helpers/go-service.js';
import { startTool, toolDirs, uniqueSleep, waitFor, type ToolDirs } from '../runner/tool.js';
import { kubectlSkipReason } from '../targets/kubectl-client.js';
import { startKubeFleet, type KubeFleet } from '../targets/kube-fleet.js';
import { sandboxProcessesMatching as markedInSandbox, type SandboxService } from '../targets/pod-sandbox.js';
import { fleetConcluded, sleepRunbook } from '../helpers/fleet-run.js';

const skip = kubectlSkipReason ?? goServiceSkipReason ?? netnsSkipReason;
const PODS = 5;

const pickRate = (low: number, high: number) => Math.round((low + Math.random() * (high - low)) * 100) / 100;
/** Two leaks, varied between runs; go-heap leaks 7.5 MiB/s at rate 1, c-heap 10 MiB/s. */
function leaks(): [SandboxService, SandboxService] {
  return Math.random() < 0.5
    ? [{ mode: 'go-heap', rate: pickRate(0.5, 1.5) }, { mode: 'c-heap', rate: pickRate(0.4, 1.2) }]
    : [{ mode: 'go-heap', rate: pickRate(0.5, 0.8) }, { mode: 'go-heap', rate: pickRate(1.2, 2) }];
}

describe.skipIf(skip !== undefined)(`runbook run --fleet kubectl:// (real kubectl, pods in sandboxes)${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let fleet: KubeFleet;
  let dirs: ToolDirs;
  const leaking = new Map<number, SandboxService>();
  const pidVar = () => `pid=name:${basename(buildLeaky())}`;

  beforeAll(async () => {
    const indices = Array.from({ length: PODS }, (_, i) => i).sort(() => Math.random() - 0.5).slice(0, 2);
    leaks().forEach((service, n) => leaking.set(indices[n]!, service));
    console.log(`[fleet-kubectl] leaking pods: ${[...leaking].map(([i, s]) => `${i} ${s.mode} rate ${s.rate}`).join(', ')}`);
    fleet = await startKubeFleet({ pods: PODS, services: (i) => [leaking.get(i) ?? { mode: 'healthy' }] });
  }, 180_000);
  afterAll(async () => fleet?.stop());
  beforeEach(() => {
    dirs = toolDirs();
    Object.assign(dirs.env, fleet.api.env, { CI: 'true' });
  });
  afterEach(() => dirs.remove());

  it('go-memory across the Deployment names exactly the two leaking pods', async () => {
    const result = await runCli(
      ['run', 'go-memory', '--fleet', fleet.deploymentUrl, '--var', pidVar(), '--var', 'interval=6s', '--answer', 'force_gc=yes', '--non-interactive', '--json'],
      { env: dirs.env, timeout: 600_000 },
    );
    const answer = fleetConcluded(result.stdout);
    console.log(`[fleet-kubectl] exit ${result.exitCode}: ${JSON.stringify(answer)}`);
    expect(result.exitCode, result.stderr.slice(-3000)).toBe(0);
    expect(answer.failed).toEqual([]);
    const podOf = (url: string) => fleet.pods.findIndex((p) => url.includes(`/${p.name}/`) || url.endsWith(`/${p.name}`));
    const growing = answer.groups.filter((g) => /growth$/.test(g.finding) && g.finding !== 'no-growth');
    expect(growing.flatMap((g) => g.targets).map(podOf).sort()).toEqual([...leaking.keys()].sort());
    for (const [i, service] of leaking) {
      const group = answer.groups.find((g) => g.targets.some((t) => podOf(t) === i));
      expect(group?.finding, `pod ${i} (${service.mode})`).toBe(service.mode === 'c-heap' ? 'c-heap-growth' : 'go-heap-growth');
    }
    const healthy = answer.groups.filter((g) => g.finding === 'no-growth').flatMap((g) => g.targets).map(podOf).sort();
    expect(healthy).toEqual(Array.from({ length: PODS }, (_, i) => i).filter((i) => !leaking.has(i)));
    // Every child event is tagged with the pod it came from.
    const tagged = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; target?: string });
    expect(new Set(tagged.filter((e) => e.type === 'session.concluded').map((e) => podOf(e.target ?? '')))).toEqual(new Set(Array.from({ length: PODS }, (_, i) => i)));
    // The exported fleet notes: the leaking pods under their finding's section, and only there.
    const out = join(dirs.state, '..', 'fleet.md');
    const exported = await runCli(['export', answer.fleet_id, '--out', out], { env: dirs.env });
    expect(exported.exitCode, exported.stderr).toBe(0);
    const notes = readFileSync(out, 'utf8');
    const section = (finding: string) => new RegExp(`^## ${finding} \\((\\d+)\\)\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(notes);
    for (const group of growing) {
      const [, count, body] = section(group.finding) ?? [];
      expect(Number(count), notes).toBe(group.targets.length);
      expect([...(body ?? '').matchAll(/`(kubectl:\/\/[^`]+)`/g)].map((m) => podOf(m[1]!)).sort()).toEqual(group.targets.map(podOf).sort());
    }
    expect(notes).toContain(`- ${PODS - 2} × **no-growth** (info)`);
  }, 660_000);

  it('SIGINT mid-run exits 130 and leaves no process of the run in any pod', async () => {
    const marker = uniqueSleep();
    const tool = startTool(['run', sleepRunbook, '--fleet', fleet.deploymentUrl, '--var', `seconds=${marker}`, '--non-interactive'], dirs.env);
    // Every pod's sleep running: seen in each sandbox.
    await waitFor(() => fleet.sandboxes.every((s) => markedInSandbox(s, marker).length > 0), 60_000, 'the sleep to run in every pod');
    tool.child.kill('SIGINT');
    const exit = await tool.exit;
    expect(exit.code, tool.stderr()).toBe(130);
    await waitFor(() => fleet.sandboxes.every((s) => markedInSandbox(s, marker).length === 0), 20_000, 'no process of the run left in any pod');
  }, 120_000);
});
