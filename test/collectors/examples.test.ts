// The shipped example bundles (examples/, captured from the Go test service by
// examples/capture-examples.sh) are valid, small, and replay to their mode's signature.
// No Go needed: this runs on any machine.
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../src/collectors/bundle.js';
import { collectSnapshot } from '../../src/collectors/snapshot.js';
import { getParser } from '../../src/parsers/registry.js';
import type { Facts } from '../../src/parsers/types.js';
import type { Collector } from '../../src/runbook/types.js';
import { repoRoot } from '../helpers/cli.js';

const examples = join(repoRoot, 'examples');
const shippedRunbooks = join(repoRoot, 'runbooks');
const collect: Collector[] = ['status', 'smaps_rollup', 'maps', 'heap', 'goroutines', 'memstats', 'vars', 'gctrace'];
/** Bundles captured since smaps is a default collector (issue 12) have it too. */
const withSmaps: Collector[] = [...collect, 'smaps'];
const mib = 1 << 20;

function sizeOf(path: string): number {
  const stat = statSync(path);
  return stat.isDirectory() ? readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0) : stat.size;
}

async function replay(name: string, collectors: Collector[] = collect): Promise<{ before: Facts; after: Facts }> {
  const dir = join(examples, name);
  const first = mkdtempSync(join(tmpdir(), 'runbook-example-'));
  const before = await collectSnapshot({ collect: collectors, bundle: { dir, index: 0 }, outDir: first });
  const after = await collectSnapshot({
    collect: collectors,
    bundle: { dir, index: 1 },
    outDir: mkdtempSync(join(tmpdir(), 'runbook-example-')),
    compareTo: { dir: first },
  });
  return { before: before.facts, after: after.facts };
}

const get = (facts: Facts, collector: string, name: string): number => (facts[collector] as Facts)[name] as number;
const delta = (r: { before: Facts; after: Facts }, collector: string, name: string): number => get(r.after, collector, name) - get(r.before, collector, name);

describe('example bundles', () => {
  const names = readdirSync(examples).filter((name) => statSync(join(examples, name)).isDirectory()).sort();

  it('are the documented set, each a valid bundle of two snapshots (three with a forced-GC profile, four for cgo-leak) under 2 MB', () => {
    expect(names).toEqual([
      'alloc-escape',
      'big-heap-no-gc',
      'c-heap-leak',
      'c-heap-leak-no-pprof',
      'cstring-leak',
      'gc-stw-pauses',
      'go-and-c-heap-leak',
      'go-heap-leak',
      'goroutine-leak',
      'healthy',
      'http-body-leak',
      'memory-limit-thrash',
      'thread-stack-leak',
    ]);
    const readme = readFileSync(join(examples, 'README.md'), 'utf8');
    const threeSnapshots = ['big-heap-no-gc', 'go-and-c-heap-leak'];
    for (const name of names) {
      const bundle = readBundle(join(examples, name));
      expect(bundle.snapshotCount, name).toBe(name === 'cstring-leak' ? 4 : threeSnapshots.includes(name) ? 3 : 2);
      expect(bundle.gctracePath).toBeDefined();
      expect(sizeOf(join(examples, name))).toBeLessThan(2 * mib);
      expect(readme).toContain(`\`${name}/\``);
      // The home screen lists a bundle by its title and preselects its runbook.
      expect(bundle.meta.title?.length ?? 0, name).toBeGreaterThan(10);
      expect(bundle.meta.title!.length, name).toBeLessThanOrEqual(80);
      expect(existsSync(join(shippedRunbooks, `${bundle.meta.runbook}.yaml`)), `${name}: runbook ${bundle.meta.runbook}`).toBe(true);
    }
  });

  it('replay to the facts the registered parsers give for the files themselves', async () => {
    const dir = join(examples, 'go-heap-leak');
    const replayed = await collectSnapshot({ collect, bundle: { dir, index: 1 }, outDir: mkdtempSync(join(tmpdir(), 'runbook-example-')) });
    const file = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, 'snapshots', '1', name)));
    expect(replayed.facts['status']).toEqual(getParser('proc-status')!.parse(file('status')).facts);
    expect(replayed.facts['maps']).toEqual(getParser('proc-maps')!.parse(file('maps')).facts);
    expect(replayed.facts['heap']).toEqual(getParser('pprof')!.parse(file('heap.pb.gz')).facts);
    expect(replayed.facts['goroutines']).toEqual(getParser('goroutines')!.parse(file('goroutine.txt')).facts);
    expect(replayed.facts['memstats']).toEqual(getParser('memstats')!.parse(file('vars.json')).facts);
    expect(replayed.facts['gctrace']).toEqual(getParser('gctrace')!.parse(new Uint8Array(readFileSync(join(dir, 'gctrace.log')))).facts);
  });

  it('go-heap-leak: main.leakGoHeap grows in the heap diff and the Go heap carries RSS', async () => {
    const r = await replay('go-heap-leak');
    expect(r.after['missing']).toEqual({});
    const top = ((r.after['heap_diff'] as Facts)['growing_flat'] as Facts[])[0]!;
    expect(top['name']).toBe('main.leakGoHeap');
    expect(delta(r, 'memstats', 'heap_inuse')).toBeGreaterThan(0.6 * delta(r, 'status', 'vm_rss_kb') * 1024);
  });

  it('c-heap-leak: RSS grows, the Go heap is flat', async () => {
    const r = await replay('c-heap-leak');
    expect(r.after['missing']).toEqual({});
    expect(delta(r, 'status', 'vm_rss_kb') * 1024).toBeGreaterThan(100 * mib);
    expect(Math.abs(delta(r, 'memstats', 'heap_sys'))).toBeLessThan(8 * mib);
  });

  it('c-heap-leak-no-pprof: only /proc and gctrace evidence; pprof evidence missing with reasons', async () => {
    const r = await replay('c-heap-leak-no-pprof');
    expect(Object.keys(r.after['missing'] as Facts).sort()).toEqual(['goroutines', 'heap', 'memstats', 'vars']);
    expect(delta(r, 'status', 'vm_rss_kb') * 1024).toBeGreaterThan(100 * mib);
    // gctrace's live heap stays flat while RSS grows: the degraded path's evidence.
    expect(get(r.after, 'gctrace', 'live_heap_mb_last')).toBeLessThan(16);
  });

  it('goroutine-leak: thousands more goroutines', async () => {
    const r = await replay('goroutine-leak');
    expect(r.after['missing']).toEqual({});
    expect(delta(r, 'goroutines', 'total')).toBeGreaterThan(2000);
  });

  it('gc-stw-pauses: STW pauses of hundreds of milliseconds in gctrace', async () => {
    const r = await replay('gc-stw-pauses');
    expect(r.after['missing']).toEqual({});
    expect(get(r.after, 'gctrace', 'stw_max_ms')).toBeGreaterThan(100);
    // The same pauses in the PauseNs ring, for runbooks that have only pprof/expvar.
    expect(get(r.after, 'memstats', 'pause_max_recent_ms')).toBeGreaterThan(100);
    expect(((r.after['vars'] as Facts)['vars'] as Facts)['mode']).toBe('stw');
  });

  it('alloc-escape: the closure-captured buffer is the top allocation site, tens of MiB/s', async () => {
    const r = await replay('alloc-escape');
    expect(r.after['missing']).toEqual({});
    const heapDiff = r.after['heap_diff'] as Facts;
    expect((heapDiff['alloc_sites'] as Facts[])[0]).toMatchObject({ function: 'main.serveAllocRequest', site: 'leaky/alloc_hot_escape.go:17' });
    expect(get(r.after, 'memstats_diff', 'total_alloc_per_s')).toBeGreaterThan(32 * mib);
    // The sampled site against the service's own count of the bytes its hot path put on the
    // heap (the profile is as of the last GC: tens of GCs a second here, so close to now).
    const vars = (bundle: Facts): number => Number(((bundle['vars'] as Facts)['vars'] as Facts)['alloc_heap_bytes']);
    const sampled = Number((heapDiff['alloc_sites'] as Facts[])[0]!['bytes']);
    expect(sampled / (vars(r.after) - vars(r.before))).toBeGreaterThan(0.7);
    expect(sampled / (vars(r.after) - vars(r.before))).toBeLessThan(1.3);
  });

  // The service's own counters (vars.json) are the truth the resident attribution must match.
  const counter = (r: { before: Facts; after: Facts }, name: string): number =>
    Number((((r.after['vars'] as Facts)['vars'] as Facts)[name] as number) - (((r.before['vars'] as Facts)['vars'] as Facts)[name] as number)) / 1024;

  it('go-and-c-heap-leak: glibc [heap] and arenas grow by what the C side leaked, Go arenas by at least what Go retained', async () => {
    const r = await replay('go-and-c-heap-leak', withSmaps);
    expect(r.after['missing']).toEqual({});
    const smaps = r.after['smaps_diff'] as Facts;
    const cKb = counter(r, 'mixed_c_bytes');
    const glibcKb = (smaps['glibc_heap_held_kb_delta'] as number) + (smaps['glibc_arena_held_kb_delta'] as number);
    expect(glibcKb).toBeGreaterThan(0.8 * cKb);
    expect(glibcKb).toBeLessThan(1.3 * cKb);
    expect(smaps['go_heap_held_kb_delta'] as number).toBeGreaterThan(0.8 * counter(r, 'mixed_go_bytes'));
  });

  it('thread-stack-leak: thread stacks resident by what the threads touched, mapped eight times more', async () => {
    const r = await replay('thread-stack-leak', withSmaps);
    const smaps = r.after['smaps_diff'] as Facts;
    const touchedKb = counter(r, 'locked_thread_stack_touched_bytes');
    expect(smaps['thread_stack_held_kb_delta'] as number).toBeGreaterThan(0.8 * touchedKb);
    expect(smaps['thread_stack_held_kb_delta'] as number).toBeLessThan(1.25 * touchedKb + 1024);
    expect(smaps['thread_stack_size_kb_delta'] as number).toBeGreaterThan(4 * (smaps['thread_stack_held_kb_delta'] as number));
    // A new thread per locked goroutine at least (the runtime may start more for itself).
    expect(delta(r, 'status', 'threads')).toBeGreaterThanOrEqual(counter(r, 'locked_threads') * 1024 - 1);
  });

  it('big-heap-no-gc: no GC between the first two snapshots, so their heap profiles are identical', async () => {
    const r = await replay('big-heap-no-gc', withSmaps);
    expect(delta(r, 'memstats', 'num_gc')).toBe(0);
    const heap = r.after['heap_diff'] as Facts;
    expect(heap['total_delta']).toBe(0);
    expect(heap['growing_flat']).toEqual([]);
    expect(counter(r, 'mixed_go_bytes')).toBeGreaterThan(8 * 1024);
  });

  it('memory-limit-thrash: the heap goal pinned at GOMEMLIMIT=64MiB, cycle after cycle', async () => {
    const r = await replay('memory-limit-thrash', withSmaps);
    expect(get(r.after, 'gctrace', 'gomemlimit_pressure')).toBe(true);
    expect((((r.after['vars'] as Facts)['vars'] as Facts)['memlimit_bytes'] as number)).toBe(64 * mib);
  });

  it('http-body-leak: readLoop, writeLoop and conn.serve grow in step, and each snapshot has a debug=2 dump naming their creator', async () => {
    const r = await replay('http-body-leak', withSmaps);
    expect(r.after['missing']).toEqual({});
    const causes = (r.after['goroutines_diff'] as Facts)['causes'] as Facts[];
    expect(causes[0]!['signature']).toBe('http-body-not-closed');
    expect(causes[0]!['stack_count']).toBe(3);
    expect(causes[0]!['excess'] as number).toBeGreaterThan(0.5 * ((r.after['goroutines_diff'] as Facts)['total_delta'] as number));
    for (const index of [0, 1]) expect(readFileSync(join(examples, 'http-body-leak', 'snapshots', String(index), 'goroutine2.txt'), 'utf8')).toMatch(/created by net\/http\.\(\*Transport\)\.dialConn/);
  });

  it('cstring-leak: three snapshots of C growth, then the uprobe trace and malloc_info in the fourth', async () => {
    const r = await replay('cstring-leak', withSmaps);
    const smaps = r.after['smaps_diff'] as Facts;
    const cKb = counter(r, 'c_held_bytes');
    const glibcKb = (smaps['glibc_heap_held_kb_delta'] as number) + (smaps['glibc_arena_held_kb_delta'] as number);
    expect(glibcKb).toBeGreaterThan(0.8 * cKb);
    const last = await collectSnapshot({ collect: ['c_allocs', 'malloc_info'], bundle: { dir: join(examples, 'cstring-leak'), index: 3 }, outDir: mkdtempSync(join(tmpdir(), 'runbook-example-')) });
    expect(last.facts['missing']).toEqual({});
    expect((last.facts['c_allocs'] as Facts)['top_site']).toMatch(/^main\.registerNames \(leaky\/mode_cgo\.go:\d+\)$/);
    expect((last.facts['malloc_info'] as Facts)['arenas'] as number).toBeGreaterThanOrEqual(1);
  });

  it('healthy: flat', async () => {
    const r = await replay('healthy');
    expect(r.after['missing']).toEqual({});
    expect(Math.abs(delta(r, 'status', 'vm_rss_kb'))).toBeLessThan(8 * 1024);
    expect(delta(r, 'goroutines', 'total')).toBe(0);
    expect(get(r.after, 'gctrace', 'stw_max_ms')).toBeLessThan(10);
  });
});
