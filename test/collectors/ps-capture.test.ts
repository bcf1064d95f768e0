// `runbook ps` and `runbook capture` through the built binary, against the live service.
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/collectors/bundle.js';
import { captureBundle } from '../../src/collectors/capture.js';
import { discoverGoProcesses, findPprof } from '../../src/collectors/discover.js';
import { collectSnapshot } from '../../src/collectors/snapshot.js';
import { runCli } from '../helpers/cli.js';
import { gcLineCount, goServiceSkipReason, installedGoVersion, netnsSkipReason, startGoService, waitUntil, type GoService } from '../helpers/go-service.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'runbook-capture-'));
}

describe.skipIf(goServiceSkipReason !== undefined)(`ps and capture against the Go service${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
  let service: GoService;
  let bare: GoService;
  beforeAll(async () => {
    service = await startGoService('go-heap');
    bare = await startGoService('healthy', { noPprof: true });
  });
  afterAll(async () => {
    await Promise.all([service?.stop(), bare?.stop()]);
  });

  it('runbook ps --json lists the service with its Go version and pprof address', async () => {
    const result = await runCli(['ps', '--json']);
    expect(result.exitCode).toBe(0);
    const listed = JSON.parse(result.stdout) as { pid: number; name: string; go_version: string; rss_kb: number | null; pprof: string | null }[];
    const found = listed.find((p) => p.pid === service.pid);
    expect(found).toMatchObject({ pid: service.pid, name: expect.stringMatching(/^leaky/), go_version: installedGoVersion(), pprof: service.url });
    expect(listed.find((p) => p.pid === bare.pid)).toMatchObject({ go_version: installedGoVersion(), pprof: null });
    expect(listed.find((p) => p.pid === process.pid)).toBeUndefined();
  });

  it('runbook ps prints a table', async () => {
    const result = await runCli(['ps']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^PID\s+NAME\s+GO\s+RSS\s+PPROF$/);
    expect(result.stdout).toMatch(new RegExp(`^${service.pid}\\s+leaky\\S*\\s+${installedGoVersion().replace(/\./g, '\\.')}\\s+.*${service.url}$`, 'm'));
  });

  it('discoverGoProcesses is fast enough for a picker', async () => {
    const started = Date.now();
    await discoverGoProcesses();
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('runbook capture writes a valid bundle, finding the pprof address itself', async () => {
    await waitUntil('a gctrace line', () => gcLineCount(service) > 0);
    const out = join(tempDir(), 'bundle');
    const result = await runCli(['capture', '--pid', String(service.pid), '--interval', '500ms', '--count', '2', '--gctrace', service.stderrPath, '--title', 'heap leak on the test box', '--runbook', 'go-memory', '--out', out]);
    expect(result.stderr).toContain('snapshot 1:');
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(out);
    const bundle = readBundle(out);
    expect(bundle.snapshotCount).toBe(2);
    expect(bundle.meta).toMatchObject({ pid: service.pid, go_version: installedGoVersion(), pprof: service.url, title: 'heap leak on the test box', runbook: 'go-memory' });
    expect(bundle.meta.cmdline).toContain('go-heap');
    expect(readFileSync(join(out, 'gctrace.log'), 'utf8')).toMatch(/^gc 1 @/m);
    for (const index of [0, 1]) {
      expect(readdirSync(join(out, 'snapshots', String(index))).sort()).toEqual(
        ['environ', 'goroutine.pb.gz', 'goroutine.txt', 'heap.pb.gz', 'heap.txt', 'host_cpu', 'maps', 'smaps', 'smaps_rollup', 'status', 'taken_at', 'vars.json'],
      );
    }
    const taken = [0, 1].map((i) => Date.parse(readFileSync(join(out, 'snapshots', String(i), 'taken_at'), 'utf8').trim()));
    // Node timers may fire a few ms early (498 ms measured).
    expect(taken[1]! - taken[0]!).toBeGreaterThanOrEqual(450);
  });

  it('a bundle replays to the same facts the live capture produced', async () => {
    const out = join(tempDir(), 'bundle');
    const captured = await captureBundle({ pid: service.pid, pprof: service.url, intervalMs: 300, count: 2, gctrace: service.stderrPath, out });
    const collect = ['status', 'smaps_rollup', 'maps', 'heap', 'goroutines', 'memstats', 'vars', 'smaps', 'environ', 'host_cpu'] as const;
    for (const index of [0, 1]) {
      const replayed = await collectSnapshot({ collect: [...collect], bundle: { dir: out, index }, outDir: tempDir() });
      expect(replayed.facts).toEqual(captured.snapshots[index]!.facts);
    }
    // compare_to works on replayed snapshots as it does live: diffs of the two.
    const replayDir = tempDir();
    const compared = await collectSnapshot({ collect: ['heap'], bundle: { dir: out, index: 1 }, outDir: replayDir, compareTo: { dir: join(out, 'snapshots', '0') } });
    expect(compared.facts['heap_diff']).toMatchObject({ sample_type: 'inuse_space' });
    expect(readFileSync(join(replayDir, 'heap.pb.gz'))).toEqual(readFileSync(join(out, 'snapshots', '1', 'heap.pb.gz')));
  });

  it('capture refuses a directory that already holds files, and a pid that does not exist', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const busy = await runCli(['capture', '--pid', String(service.pid), '--out', out]);
    expect(busy.exitCode).toBe(2);
    expect(busy.stderr).toContain(`runbook: --out ${out} already holds files`);
    const gone = await runCli(['capture', '--pid', String((1 << 22) + 1), '--out', join(out, 'x')]);
    expect(gone.exitCode).toBe(2);
    expect(gone.stderr).toContain('runbook: cannot capture pid 4194305: no such process');
    const badRunbook = await runCli(['capture', '--pid', String(service.pid), '--runbook', 'go-memroy', '--out', join(out, 'z')]);
    expect(badRunbook.exitCode).toBe(2);
    expect(badRunbook.stderr).toContain("no runbook 'go-memroy' — did you mean 'go-memory'?");
    expect(existsSync(join(out, 'z'))).toBe(false);
    const twice = await runCli(['capture', '--pid', String(service.pid), '--title', 'a', '--title', 'b', '--out', join(out, 'z')]);
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toContain('--title was given 2 times');
    expect(existsSync(join(out, 'z'))).toBe(false);
    const badInterval = await runCli(['capture', '--pid', String(service.pid), '--interval', '30', '--out', join(out, 'y')]);
    expect(badInterval.exitCode).toBe(2);
    expect(badInterval.stderr).toContain("--interval: invalid duration '30'");
  });

  it('capture says what it captured, and warns only about what a replay will lack (issue 16)', async () => {
    // pprof without expvar, as many services serve: /debug/vars answers 404, MemStats come
    // from the heap profile's trailer.
    const noExpvar = await startGoService('go-heap', { args: ['-no-expvar'] });
    try {
      const out = join(tempDir(), 'bundle');
      const result = await runCli(['capture', '--pid', String(noExpvar.pid), '--interval', '200ms', '--count', '2', '--out', out]);
      expect(result.exitCode).toBe(0);
      const lines = result.stderr.split('\n');
      for (const index of [0, 1]) {
        expect(lines).toContain(`snapshot ${index}: status, smaps_rollup, maps, heap, goroutines, memstats (from heap.txt), smaps, environ, host_cpu · 10 files`);
      }
      expect(result.stderr).not.toContain('warning');
      expect(result.stderr.match(/not served: vars: GET \S+\/debug\/vars answered 404/g)).toHaveLength(1);
      // A process with no pprof at all: the replay lacks the profiles, and says so once each.
      const bareOut = join(tempDir(), 'bundle');
      const bareRun = await runCli(['capture', '--pid', String(bare.pid), '--interval', '200ms', '--count', '2', '--out', bareOut]);
      expect(bareRun.exitCode).toBe(0);
      expect(bareRun.stderr).toContain('snapshot 1: status, smaps_rollup, maps, smaps, environ, host_cpu · 6 files');
      expect(bareRun.stderr.match(/warning: not captured: heap: /g)).toHaveLength(1);
      expect(bareRun.stderr).toMatch(/warning: not captured: memstats: /);
    } finally {
      await noExpvar.stop();
    }
  });
});

describe.skipIf(goServiceSkipReason !== undefined || netnsSkipReason !== undefined)(
  `a Go service in a network namespace of its own${goServiceSkipReason ?? netnsSkipReason ? ` (skipped: ${goServiceSkipReason ?? netnsSkipReason})` : ''}`,
  () => {
    let contained: GoService;
    let decoy: Server;
    beforeAll(async () => {
      contained = await startGoService('healthy', { ownNetwork: true });
      // The same port on this host's loopback answers /debug/pprof/ too: probing the
      // contained service's address from here would reach this decoy, not the service.
      const port = Number(new URL(contained.url).port);
      decoy = createServer((_, response) => response.end('decoy'));
      await new Promise<void>((resolve) => decoy.listen(port, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      await contained?.stop();
      decoy?.close();
    });

    it('is listed without a pprof address, with a warning saying why', async () => {
      const result = await runCli(['ps', '--json']);
      expect(result.exitCode).toBe(0);
      const listed = (JSON.parse(result.stdout) as { pid: number; pprof: string | null }[]).find((p) => p.pid === contained.pid);
      expect(listed).toMatchObject({ pid: contained.pid, pprof: null });
      // Alone, it gets a line of its own; with other tests' sandboxed services running, the
      // one line lists every pid (discover.ts words both).
      expect(result.stderr).toMatch(
        new RegExp(`warning: (pid ${contained.pid} \\(leaky\\S*\\) listens in another network namespace \\(net:\\[\\d+\\], a container\\?\\)|pids [\\d, ]*\\b${contained.pid}\\b[\\d, ]* listen in other network namespaces)`),
      );
      expect(await findPprof(contained.pid, 2000)).toBeNull();
    });
  },
);
