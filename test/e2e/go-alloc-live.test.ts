// go-alloc end to end, through the real binary: against the Go test service's alloc-escape
// mode built twice (escaping hot path, and `-tags noescape` where the same path keeps its
// buffer on the stack) at several rates, live and on `runbook capture` bundles, and against
// two commits of a small Go module this test creates in a temporary git repository.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { goServiceSkipReason, serviceCounter, startGoProcess, startGoService, waitUntil, type GoService } from '../helpers/go-service.js';

const leakySource = fileURLToPath(new URL('../go/leaky/', import.meta.url));
const interval = '5s';
const threshold = 32;

interface Run {
  finding: string | undefined;
  text: string;
  remediation: string;
  path: string[];
  facts: Record<string, Record<string, unknown>>;
  stderr: string;
}

async function goAlloc(vars: Record<string, string>, bundle?: string): Promise<Run> {
  const stateDir = mkdtempSync(join(tmpdir(), 'runbook-go-alloc-state-'));
  const args = ['run', 'go-alloc', ...(bundle ? ['--bundle', bundle] : []), ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`]), '--non-interactive', '--json'];
  const result = await runCli(args, { env: { RUNBOOK_STATE_DIR: stateDir, CI: 'true', GOPROXY: 'off' }, timeout: 240_000 });
  const events = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; step?: string; finding?: string; text?: string; remediation?: string; facts?: Record<string, unknown> });
  const concluded = events.find((e) => e.type === 'session.concluded');
  const facts: Run['facts'] = {};
  for (const e of events) if (e.type === 'step.finished' && e.step && e.facts) facts[e.step] = e.facts;
  return { finding: concluded?.finding, text: concluded?.text ?? '', remediation: concluded?.remediation ?? '', path: events.filter((e) => e.type === 'step.finished').map((e) => e.step!), facts, stderr: result.stderr };
}

const live = (service: GoService, extra: Record<string, string> = {}): Record<string, string> => ({ pid: String(service.pid), pprof: service.url, interval, ...extra });

async function capture(service: GoService): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'runbook-go-alloc-bundle-')), 'bundle');
  const result = await runCli(['capture', '--pid', String(service.pid), '--interval', interval, '--count', '2', '--out', out], { timeout: 120_000 });
  expect(result.exitCode, result.stderr).toBe(0);
  return out;
}

const services: GoService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

async function started(tags: string[], rate: number, env?: Record<string, string>): Promise<GoService> {
  const service = await startGoService('alloc-escape', { tags, rate, gctrace: false, env });
  services.push(service);
  await waitUntil('the hot path to serve requests', async () => (await serviceCounter(service, 'alloc_requests')) > 0);
  return service;
}

const rateFact = (run: Run): number => Number(run.facts['rate']?.['alloc_mb_per_s']);

describe.skipIf(goServiceSkipReason)('go-alloc against the live Go service (alloc-escape mode)', () => {
  it('escaping build: high-allocation-rate at rates 1 and 2 naming alloc_hot_escape.go:17, buf moved to heap by the closure; normal at 0.25', async () => {
    const service = await started([], 1);
    for (const rate of [1, 2, 0.25]) {
      await service.setMode('alloc-escape', rate);
      const before = await serviceCounter(service, 'alloc_heap_bytes');
      const t0 = Date.now();
      const run = await goAlloc(live(service, { source: leakySource }));
      const truthMiBps = ((await serviceCounter(service, 'alloc_heap_bytes')) - before) / ((Date.now() - t0) / 1000) / 2 ** 20;
      const measured = rateFact(run);
      if (rate >= 1) {
        expect(run.finding, run.text + run.stderr).toBe('high-allocation-rate');
        expect(run.path).toEqual(['before', 'wait', 'after', 'rate', 'escape', 'high-rate-explained']);
        expect(run.text).toMatch(/The top site, leaky\/alloc_hot_escape\.go:17, has [\d.]+ % of the bytes/);
        expect(run.text).toContain('leaky/alloc_hot_escape.go:17 main.serveAllocRequest');
        expect(run.text).toMatch(/moved to heap: buf \(captured by a closure that outlives the call\), through `buf` \(captured by a closure\) at \.\/alloc_hot_escape\.go:21:\d+/);
        expect(run.text).toContain("don't capture it in a closure");
        expect(run.text).toContain(`${measured} MiB/s`);
        expect(measured).toBeGreaterThanOrEqual(threshold);
        // The top site's sampled rate against the service's own count of what the hot path allocated.
        const top = (run.facts['after']?.['heap_diff'] as { alloc_sites: { bytes_per_s: number }[] }).alloc_sites[0]!;
        expect(top.bytes_per_s / 2 ** 20 / truthMiBps).toBeGreaterThan(0.6);
        expect(top.bytes_per_s / 2 ** 20 / truthMiBps).toBeLessThan(1.5);
        // MemStats counts everything, the hot path and the ~10 MiB/s baseline.
        expect(measured).toBeGreaterThan(truthMiBps * 0.8);
      } else {
        expect(run.finding, run.text).toBe('allocation-normal');
        expect(run.path).toEqual(['before', 'wait', 'after', 'rate', 'normal']);
        expect(measured).toBeLessThan(threshold);
      }
    }
  }, 600_000);

  it('noescape build: the same path allocates nothing, allocation-normal at rates 1 and 2; the hot file is not a top site', async () => {
    const service = await started(['noescape'], 1);
    for (const rate of [1, 2]) {
      await service.setMode('alloc-escape', rate);
      const run = await goAlloc(live(service, { source: leakySource }));
      expect(run.finding, run.text + run.stderr).toBe('allocation-normal');
      expect(rateFact(run)).toBeLessThan(threshold);
      expect(run.text).not.toContain('alloc_hot');
      expect(await serviceCounter(service, 'alloc_heap_bytes')).toBe(0);
      expect(await serviceCounter(service, 'alloc_requests')).toBeGreaterThan(rate * 10_000);
    }
  }, 300_000);

  it('no GC between the snapshots: the rate from MemStats, no sites, and why (no cycle yet, or none in the interval)', async () => {
    // GOGC=off: no cycle runs unless one is forced (the 2-minute forced GC is off too). The
    // threshold is low so the finding does not hang on how much CPU a loaded machine gives.
    const service = await started([], 0.5, { GOGC: 'off' });
    const noCycle = await goAlloc(live(service, { source: leakySource, alloc_mb_per_s_threshold: '4' }));
    expect(noCycle.finding, noCycle.text + noCycle.stderr).toBe('high-allocation-rate');
    expect(noCycle.path).toEqual(['before', 'wait', 'after', 'rate', 'high-rate-no-gc-yet']);
    expect(noCycle.facts['rate']).toMatchObject({ site_count: 0, gc_cycles: 0 });
    expect(noCycle.text).toContain(`${rateFact(noCycle)} MiB/s`);
    expect(noCycle.text).toMatch(/no GC cycle has run since the process started \(NumGC 0 after \d+ MiB allocated in all\): either the GC is off \(GOGC=off/);
    expect(noCycle.remediation).toContain('set GOMEMLIMIT');

    // One forced cycle (heap?gc=1), then none again: the sites are still unknown.
    const forced = await fetch(`${service.url}/debug/pprof/heap?gc=1`);
    expect(forced.ok).toBe(true);
    await forced.arrayBuffer();
    await service.setMode('alloc-escape', 0.75);
    const noneBetween = await goAlloc(live(service, { source: leakySource, alloc_mb_per_s_threshold: '4' }));
    expect(noneBetween.finding, noneBetween.text + noneBetween.stderr).toBe('high-allocation-rate');
    expect(noneBetween.path).toEqual(['before', 'wait', 'after', 'rate', 'high-rate-no-sites']);
    expect(noneBetween.facts['rate']).toMatchObject({ site_count: 0, gc_cycles: 1, gc_per_s: 0 });
    expect(noneBetween.text).toMatch(/none ended\s+between the two snapshots \(1 cycles since the process started, 0 per second in between\)/);
    expect(noneBetween.remediation).toMatch(/further apart than two GC cycles/);
  }, 300_000);

  it('replays runbook capture bundles of both builds to the same findings, reasons included', async () => {
    const escaping = await started([], 1);
    const quiet = await started(['noescape'], 1);
    const [escapingBundle, quietBundle] = await Promise.all([capture(escaping), capture(quiet)]);
    const replayed = await goAlloc({ source: leakySource }, escapingBundle);
    expect(replayed.finding, replayed.text + replayed.stderr).toBe('high-allocation-rate');
    expect(replayed.path).toEqual(['before', 'wait', 'after', 'rate', 'escape', 'high-rate-explained']);
    expect(replayed.text).toMatch(/\n- \S*leaky\/alloc_hot_escape\.go:17 main\.serveAllocRequest: [\d.]+ % of the bytes, [\d.]+ % of the objects allocated \([\d.]+ MiB\/s\): moved to heap: buf/);
    const withoutSource = await goAlloc({}, escapingBundle);
    expect(withoutSource.finding).toBe('high-allocation-rate');
    expect(withoutSource.path).toEqual(['before', 'wait', 'after', 'rate', 'high-rate-no-source']);
    expect(withoutSource.text).toContain('leaky/alloc_hot_escape.go:17 main.serveAllocRequest');
    const quietRun = await goAlloc({ source: leakySource }, quietBundle);
    expect(quietRun.finding, quietRun.text).toBe('allocation-normal');
  }, 300_000);
});

// A small module at two commits: base keeps an 8 KiB buffer on the stack (its closure is
// called in place), head stores the closure in a global so the buffer moves to the heap.
// Head also gains lines above the function, so the escaping line moves (lines are not keys).
const mainGo = `package main

import (
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"time"
)

var sink int

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Printf("listening on %s\\n", l.Addr())
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		id := 0
		for range t.C {
			for i := 0; i < 100; i++ {
				id++
				sink += handle(id)
			}
		}
	}()
	_ = http.Serve(l, nil)
}
`;
const handlerBase = `package main

func handle(id int) int {
	var buf [8192]byte
	buf[id%len(buf)] = byte(id)
	sum := func() int { return int(buf[0]) }
	return sum()
}
`;
const handlerHead = `package main

// lastFlush keeps the latest request's flush for a debug endpoint.
var lastFlush func() int

func handle(id int) int {
	var buf [8192]byte
	buf[id%len(buf)] = byte(id)
	lastFlush = func() int { return int(buf[0]) }
	return lastFlush()
}
`;

function git(repo: string, ...args: string[]): string {
  const result = spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

describe.skipIf(goServiceSkipReason)('go-alloc between two commits of a module in a temporary git repository', () => {
  it('names what started escaping (file:line and reason) without touching the working tree', async () => {
    const repo = join(mkdtempSync(join(tmpdir(), 'runbook-go-alloc-repo-')), 'svc');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'go.mod'), 'module example.com/svc\n\ngo 1.19\n');
    writeFileSync(join(repo, 'main.go'), mainGo);
    writeFileSync(join(repo, 'handler.go'), handlerBase);
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'base');
    const base = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(join(repo, 'handler.go'), handlerHead);
    git(repo, 'commit', '-qam', 'head: keep the last flush');
    const head = git(repo, 'rev-parse', 'HEAD');
    // The running binary is head's.
    const binary = join(repo, '..', 'svc-head');
    const built = spawnSync('go', ['build', '-o', binary, '.'], { cwd: repo, encoding: 'utf8', env: { ...process.env, GOPROXY: 'off', GOFLAGS: '-buildvcs=false' } });
    expect(built.status, built.stderr).toBe(0);
    // The engineer is mid-edit: an uncommitted change and an untracked file must survive.
    writeFileSync(join(repo, 'handler.go'), `${handlerHead}\n// work in progress\n`);
    writeFileSync(join(repo, 'notes.txt'), 'scratch\n');
    const statusBefore = git(repo, 'status', '--porcelain');
    const service = await startGoProcess(binary, [], { label: 'svc-head' });
    services.push(service);

    const regression = await goAlloc(live(service, { source: repo, base, head }));
    expect(regression.finding, regression.text + regression.stderr).toBe('escape-regression');
    expect(regression.path).toEqual(['before', 'wait', 'after', 'rate', 'escape_base', 'escape_head', 'regression']);
    expect(regression.text).toContain('./handler.go:7: moved to heap: buf (captured by a closure that outlives the call)');
    expect(regression.text).toMatch(/\n- \S*handler\.go:7 main\.handle: [\d.]+ % of the bytes, [\d.]+ % of the objects allocated/);
    // Where it escapes: the closure stored in the global, two lines below the allocation.
    expect(regression.text).toMatch(/through `buf` \(captured by a closure\) at \.\/handler\.go:9:\d+/);
    expect(regression.text).toMatch(/func literal escapes to heap .*, through `lastFlush = func literal` \(assign\) at \.\/handler\.go:9:\d+/);
    expect(regression.text).toMatch(new RegExp(`^Between ${base} and ${head}, [1-9]\\d* value\\(s\\) at the hot allocation sites started escaping`));
    expect(Number(regression.facts['escape_head']?.['hot_started_count'])).toBeGreaterThan(0);

    // Against itself nothing started escaping: the rate alone decides (8 KiB × 10,000/s).
    const same = await goAlloc(live(service, { source: repo, base: head, head }));
    expect(same.finding, same.text + same.stderr).toBe('high-allocation-rate');
    expect(same.path.at(-1)).toBe('high-rate-commits');

    expect(git(repo, 'status', '--porcelain')).toBe(statusBefore);
    expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  }, 400_000);
});
