// A fleet of 200 targets (issue 20): `runbook run RUNBOOK --fleet kubectl://…/deployment/…`
// spawned as a user runs it, against the fake API server (test/targets/kube-fleet.ts) with
// a Deployment of 200 pods, through the real kubectl. The pods share 4 sandboxes (pid,
// mount and network namespaces, each with one healthy Go test service) so a 2-core machine
// copes: every pod's exec enters its sandbox, so the tool does the work of 200 targets
// (resolution, per-pod process discovery, one read, one conclusion each) while the machine
// runs 4 services, not 200.
// Reports wall time, the tool's peak RSS (VmHWM), and at their peaks its open file
// descriptors and its child processes (all descendants: kubectl clients and their children),
// sampled every 50 ms. Needs root, unshare/nsenter/ip, go and kubectl >= 1.30.
// Run: `npm run bench -- fleet` (BENCH_FLEET_PODS, BENCH_FLEET_CONCURRENCY to vary).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadLine } from './measure.js';

const PODS = Number(process.env.BENCH_FLEET_PODS ?? 200);
const SANDBOXES = 4;
const CONCURRENCY = process.env.BENCH_FLEET_CONCURRENCY;
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/runbook.js');

// Finds the service by name on each pod (discovery through kubectl exec), reads its status.
const RUNBOOK = `id: fleet-bench
title: Fleet bench
summary: The Go service by name on each target, its status read and judged.
inputs:
  pid: { type: pid, discover: go }
steps:
  - id: status
    read: { path: "/proc/{{ pid }}/status", parse: proc-status }
    next:
      - when: status.vm_rss_kb > 0
        goto: alive
      - goto: odd
  - id: alive
    conclude: { finding: alive, severity: info, text: "{{ status.vm_rss_kb }} kB resident" }
  - id: odd
    conclude: { finding: odd, severity: medium, text: "no resident memory" }
`;

function readOr(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Every descendant of `pid` (from /proc/*\/stat's ppid field). */
function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readOr(`/proc/${entry}/stat`);
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(entry));
  }
  const found = [];
  const queue = [pid];
  while (queue.length > 0) for (const child of children.get(queue.shift()) ?? []) found.push(child), queue.push(child);
  return found;
}

/** The testbed is TypeScript: bundled for this plain-node bench (packages stay external).
 *  go-service.ts finds test/go/leaky from its own import.meta.url, kept as the source's. */
async function loadTestbed(dir) {
  const entries = ['test/targets/kube-fleet.ts', 'test/helpers/go-service.ts'].map((file) => join(root, file));
  const sourceUrl = pathToFileURL(join(root, 'test/helpers/go-service.ts')).href;
  const built = spawnSync(
    join(root, 'node_modules/.bin/esbuild'),
    [...entries, '--bundle', '--splitting', '--platform=node', '--format=esm', '--packages=external', `--define:import.meta.url=${JSON.stringify(sourceUrl)}`, `--outdir=${dir}`, '--out-extension:.js=.mjs'],
    { encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`esbuild of the testbed failed: ${built.stderr}`);
  const load = (name) => import(pathToFileURL(join(dir, name)).href);
  return { ...(await load('targets/kube-fleet.mjs')), ...(await load('helpers/go-service.mjs')) };
}

export default async function fleetBench() {
  if (process.getuid?.() !== 0) return void process.stdout.write('skipped: the pod sandboxes need root\n');
  const dir = mkdtempSync(join(root, 'node_modules/.cache/runbook-fleet-bench-'));
  const { startKubeFleet, buildLeaky } = await loadTestbed(dir);
  const fleet = await startKubeFleet({ pods: PODS, sandboxes: SANDBOXES, services: () => [{ mode: 'healthy' }] });
  const work = mkdtempSync(join(tmpdir(), 'runbook-fleet-bench-'));
  try {
    const runbook = join(work, 'fleet-bench.yaml');
    writeFileSync(runbook, RUNBOOK);
    const leaky = basename(buildLeaky());
    const args = ['run', runbook, '--fleet', fleet.deploymentUrl, '--var', `pid=name:${leaky}`, '--non-interactive', '--json', ...(CONCURRENCY ? ['--concurrency', CONCURRENCY] : [])];
    const env = { ...process.env, ...fleet.api.env, RUNBOOK_STATE_DIR: join(work, 'state'), RUNBOOK_CONFIG_DIR: join(work, 'config'), CI: 'true', NO_COLOR: '1' };
    process.stdout.write(`${loadLine()}\n${PODS} pods in ${SANDBOXES} sandboxes; runbook ${args.slice(1).join(' ').replace(runbook, 'fleet-bench.yaml')}\n`);
    const start = process.hrtime.bigint();
    const tool = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    tool.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    tool.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const peak = { rssKb: 0, fds: 0, children: 0, kubectl: 0 };
    const sampler = setInterval(() => {
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(readOr(`/proc/${tool.pid}/status`))?.[1] ?? 0);
      peak.rssKb = Math.max(peak.rssKb, hwm);
      try {
        peak.fds = Math.max(peak.fds, readdirSync(`/proc/${tool.pid}/fd`).length);
      } catch {
        // Exited between samples.
      }
      const below = descendants(tool.pid);
      peak.children = Math.max(peak.children, below.length);
      peak.kubectl = Math.max(peak.kubectl, below.filter((pid) => readOr(`/proc/${pid}/comm`).startsWith('kubectl')).length);
    }, 50);
    const code = await new Promise((resolve) => tool.on('close', (c) => resolve(c)));
    clearInterval(sampler);
    const wallS = Number(process.hrtime.bigint() - start) / 1e9;
    const last = JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? '{}');
    const groups = (last.groups ?? []).map((g) => `${g.targets.length} × ${g.finding}`).join(', ');
    process.stdout.write(
      [
        `exit ${code}; ${groups || 'no fleet.concluded'}; failed ${last.failed?.length ?? '?'}`,
        `wall ${wallS.toFixed(1)} s (${((wallS * 1000) / PODS).toFixed(0)} ms a target)`,
        `peak RSS of the tool ${(peak.rssKb / 1024).toFixed(0)} MiB; at peak ${peak.fds} open fds, ${peak.children} child processes (${peak.kubectl} kubectl)`,
        `fake API server: ${fleet.api.requests.length} requests, ${fleet.api.execs.length} execs`,
        ...(last.failed ?? []).slice(0, 5).map((f) => `failed: ${f.target}: ${f.reason}`),
        '',
      ].join('\n'),
    );
    if (code !== 0 && code !== 1) process.stdout.write(`stderr tail: ${stderr.slice(-2000)}\n`);
  } finally {
    await fleet.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
