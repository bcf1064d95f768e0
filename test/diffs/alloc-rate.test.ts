// Allocation rate facts: the pprof diff's alloc_* (by site, from two heap profiles) and the
// memstats diff's per-second rates (TotalAlloc, Mallocs over the snapshots' gap).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memstatsDiffer } from '../../src/diffs/memstats.js';
import { pprofDiffer } from '../../src/diffs/pprof.js';
import { pprofTopParser } from '../../src/parsers/pprof-top.js';
import type { FactValue, Facts } from '../../src/parsers/types.js';
import { fixture } from '../parsers/pprof-peer.js';

type Row = { [key: string]: FactValue };
const alloc = (path: string): Buffer => fixture(`pprof/alloc/${path}`);
const local = (path: string): Buffer => fixture(`pprof/local/${path}`);

/** `go tool pprof -top -lines -diff_base` rows with a positive flat value: name "func file:line" → flat. */
function peerSites(text: Buffer): Map<string, number> {
  const parsed = pprofTopParser.parse(text);
  expect(parsed.error).toBeUndefined();
  const sites = new Map<string, number>();
  for (const row of parsed.facts.rows as Row[]) {
    if (Number(row.flat) > 0) sites.set(String(row.name), Number(row.flat));
  }
  return sites;
}

function ourSites(facts: Facts, value: 'bytes' | 'objects'): Map<string, number> {
  return new Map((facts.alloc_sites as Row[]).map((s) => [`${String(s.function)} ${String(s.site)}`, Number(s[value])]));
}

describe('pprof diff: allocation by site agrees with go tool pprof -lines -diff_base (go1.19.8)', () => {
  const cases = [
    { name: 'alloc-escape mode (closure-captured buffer, interface conversion)', before: alloc('before.heap.pb.gz'), after: alloc('after.heap.pb.gz'), peer: 'diff_base' },
    { name: 'go-heap mode (retained buffers)', before: local('before/heap.pb.gz'), after: local('after/heap.pb.gz'), peer: 'local.diff_base' },
  ];
  for (const c of cases) {
    it(`${c.name}: every growing site, bytes and objects`, () => {
      const r = pprofDiffer.diff(c.before, c.after, { alloc_top: 0 });
      expect(r.error).toBeUndefined();
      const bytes = peerSites(alloc(`${c.peer}.alloc_space.lines.txt`));
      const objects = peerSites(alloc(`${c.peer}.alloc_objects.lines.txt`));
      expect(ourSites(r.facts, 'bytes')).toEqual(bytes);
      // A site can grow in bytes with no new object (sampling): objects compared where pprof lists them.
      const ours = ourSites(r.facts, 'objects');
      for (const [site, count] of objects) expect(ours.get(site)).toBe(count);
      // alloc_space only grows in one process, so the total is pprof's "Showing nodes accounting for".
      expect(r.facts.alloc_bytes_delta).toBe([...bytes.values()].reduce((a, b) => a + b, 0));
    });
  }

  it('ranks the escaping buffer first, with its share, rate and the profiles\' own interval', () => {
    const r = pprofDiffer.diff(alloc('before.heap.pb.gz'), alloc('after.heap.pb.gz'));
    const sites = r.facts.alloc_sites as Row[];
    expect(sites[0]).toMatchObject({ function: 'main.serveAllocRequest', site: 'leaky/alloc_hot_escape.go:17', line: 17 });
    const interval = r.facts.alloc_interval_s as number;
    // time_nanos of the two profiles, 5.75 s apart (curl, sleep 5, curl).
    expect(interval).toBeGreaterThan(5);
    expect(interval).toBeLessThan(7);
    // alloc_interval_s is rounded to the ms; the rate is computed on the exact nanoseconds.
    expect(Math.abs(Number(sites[0]!.bytes_per_s) / (Number(sites[0]!.bytes) / interval) - 1)).toBeLessThan(1e-3);
    expect(sites[0]!.share_pct).toBeCloseTo((Number(sites[0]!.bytes) / Number(r.facts.alloc_bytes_delta)) * 100, 0);
    expect(r.facts.alloc_top_site_share_pct).toBe(sites[0]!.share_pct);
    // 10,000 requests/s × 4 KiB = 40 MiB/s through the hot path (mode_alloc.go), sampled.
    expect(Number(sites[0]!.bytes_per_s) / 2 ** 20).toBeGreaterThan(25);
    expect(Number(sites[0]!.bytes_per_s) / 2 ** 20).toBeLessThan(45);
    expect(r.facts.alloc_top3_share_pct).toBeGreaterThanOrEqual(Number(sites[0]!.share_pct));
    // Shares of the objects too: the buffer is a few large objects, the closures many small ones.
    for (const site of sites) expect(site.objects_share_pct).toBeCloseTo((Number(site.objects) / Number(r.facts.alloc_objects_delta)) * 100, 0);
    expect(String(r.facts.alloc_sites_text).split('\n')[0]).toMatch(/^- leaky\/alloc_hot_escape\.go:17 main\.serveAllocRequest: [\d.]+ % of the bytes, [\d.]+ % of the objects allocated \([\d.]+ MiB\/s, \d+ objects\/s\)$/);
  });

  it('a profile against itself allocated nothing, and says why (no GC in between)', () => {
    const r = pprofDiffer.diff(alloc('after.heap.pb.gz'), alloc('after.heap.pb.gz'));
    expect(r.facts).toMatchObject({ alloc_bytes_delta: 0, alloc_sites: [], alloc_interval_s: null });
    expect(r.warnings.map((w) => w.message).join('\n')).toMatch(/no GC cycle ended/);
    // A conclusion listing the sites says why there are none rather than nothing.
    expect(r.facts.alloc_sites_text).toBe('- none: alloc_space did not move between the two heap profiles: the runtime publishes it when a GC cycle ends, and none ended in between');
    expect(pprofDiffer.diff(alloc('after.heap.pb.gz'), alloc('before.heap.pb.gz')).facts.alloc_sites_text).toMatch(/different processes/);
  });

  it('profiles without alloc_* sample types (goroutine) carry no alloc facts', () => {
    const r = pprofDiffer.diff(local('before/goroutine.pb.gz'), local('after/goroutine.pb.gz'));
    expect(r.facts.alloc_sites).toBeUndefined();
  });
});

describe('memstats diff: allocation rate over the snapshots\' gap', () => {
  const before = JSON.parse(alloc('before.vars.json').toString()).memstats;
  const after = JSON.parse(alloc('after.vars.json').toString()).memstats;

  it('bytes, objects, frees and GC cycles per second from TotalAlloc, Mallocs, Frees, NumGC', () => {
    for (const interval of [1, 5, 7.5]) {
      const r = memstatsDiffer.diff(alloc('before.vars.json'), alloc('after.vars.json'), { interval_s: interval });
      expect(r.facts.total_alloc_per_s).toBeCloseTo((after.TotalAlloc - before.TotalAlloc) / interval, 0);
      expect(r.facts.mallocs_per_s).toBeCloseTo((after.Mallocs - before.Mallocs) / interval, 0);
      expect(r.facts.frees_per_s).toBeCloseTo((after.Frees - before.Frees) / interval, 0);
      expect(r.facts.gc_per_s).toBeCloseTo((after.NumGC - before.NumGC) / interval, 2);
    }
    // curl, sleep 5, curl: about 43 MiB/s in the alloc-escape mode (40 MiB/s hot path + 10 MiB/s baseline, sampled).
    const r = memstatsDiffer.diff(alloc('before.vars.json'), alloc('after.vars.json'), { interval_s: 5 });
    expect(Number(r.facts.total_alloc_per_s) / 2 ** 20).toBeGreaterThan(35);
  });

  it('without an interval (runbook diff on two files) there are no rates, only deltas', () => {
    const r = memstatsDiffer.diff(alloc('before.vars.json'), alloc('after.vars.json'));
    expect(r.facts.total_alloc_delta).toBe(after.TotalAlloc - before.TotalAlloc);
    expect(r.facts.total_alloc_per_s).toBeUndefined();
    for (const bad of [0, -1, 'x', Number.NaN]) {
      expect(memstatsDiffer.diff(alloc('before.vars.json'), alloc('after.vars.json'), { interval_s: bad }).facts.total_alloc_per_s).toBeUndefined();
    }
  });

  it('never throws, whatever the interval', () => {
    fc.assert(
      fc.property(fc.anything(), (interval) => {
        memstatsDiffer.diff(alloc('before.vars.json'), alloc('after.vars.json'), { interval_s: interval });
      }),
      { numRuns: 200 },
    );
  });
});
