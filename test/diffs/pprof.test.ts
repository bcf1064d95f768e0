import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pprofDiffer } from '../../src/diffs/pprof.js';
import { expectSameTop, fixture } from '../parsers/pprof-peer.js';
import { expectJsonFacts } from '../parsers/facts-json.js';

const local = (path: string): Buffer => fixture(`pprof/local/${path}`);
const expected = (name: string): Buffer => fixture(`pprof/local/expected_pprof_1.19.8/${name}`);
const all = { top: 0 };

describe('pprof diff: agreement with go tool pprof -top -diff_base (go1.19.8)', () => {
  it('heap inuse_space, -unit=B: every function, flat and cum, percentages of the base total', () => {
    const r = pprofDiffer.diff(local('before/heap.pb.gz'), local('after/heap.pb.gz'), all);
    expect(r.error).toBeUndefined();
    expectSameTop(r.facts, expected('heap.diff_base.top.unitB.txt'));
    // "Showing nodes accounting for 16764614B, 623.32% of 2689588B total"
    expect(r.facts).toMatchObject({ sample_type: 'inuse_space', total: 2689588, total_delta: 16764614, shown_total: 16764614 });
  });

  it('heap inuse_objects (one node dropped by the node fraction, like pprof)', () => {
    const r = pprofDiffer.diff(local('before/heap.pb.gz'), local('after/heap.pb.gz'), { ...all, sample_type: 'inuse_objects' });
    expectSameTop(r.facts, expected('heap.diff_base.inuse_objects.top.txt'));
  });

  it('goroutine profiles: functions present equally in both are not in the graph; 8 dropped', () => {
    const r = pprofDiffer.diff(local('before/goroutine.pb.gz'), local('after/goroutine.pb.gz'), all);
    expectSameTop(r.facts, expected('goroutine.diff_base.top.txt'));
    expect(r.facts.total_delta).toBe(505);
  });

  it('a profile against itself nets to nothing (large.cpu, like pprof)', () => {
    const large = fixture('pprof/google_pprof/large.cpu.pb.gz');
    const r = pprofDiffer.diff(large, large, all);
    expectSameTop(r.facts, fixture('pprof/expected_go1.19.8_local/large.cpu.diff_base_self.top.unitns.txt'));
    expect(r.facts.total_delta).toBe(0);
  }, 60_000);
});

describe('pprof diff: growth and shrinkage', () => {
  it('names the leak first by flat and by cum, and what shrank', () => {
    const r = pprofDiffer.diff(local('before/heap.pb.gz'), local('after/heap.pb.gz'), { top: 2 });
    const growingFlat = r.facts.growing_flat as { name: string; flat: number; flat_pct: number }[];
    expect(growingFlat.map((g) => g.name)).toEqual(['main.leakGoHeap', 'main.leakGoroutines.func1']);
    expect(growingFlat[0]).toMatchObject({ flat: 17289894, flat_pct: 642.85 });
    expect((r.facts.growing_cum as { name: string }[])[0]!.name).toBe('main.leakGoHeap');
    const shrinking = r.facts.shrinking_flat as { name: string; flat: number; flat_pct: number }[];
    expect(shrinking[0]).toMatchObject({ name: 'bufio.NewWriterSize', flat: -525312, flat_pct: -19.53 });
  });

  it('refuses profiles of different kinds, naming both', () => {
    const r = pprofDiffer.diff(local('before/heap.pb.gz'), local('after/goroutine.pb.gz'));
    expect(r.error?.code).toBe('invalid');
    expect(r.error?.message).toMatch(/before has alloc_objects\/count.*after has goroutine\/count/);
  });

  it('says which side is broken', () => {
    const r = pprofDiffer.diff(local('before/heap.pb.gz'), fixture('pprof/google_pprof/profile_testdata/gobench.heap'));
    expect(r.error).toMatchObject({ code: 'unsupported-format' });
    expect(r.error?.message).toMatch(/^after: /);
  });

  it('never throws on arbitrary inputs on either side', () => {
    const real = local('before/heap.pb.gz');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (junk, junkFirst) => {
        const r = junkFirst ? pprofDiffer.diff(junk, real) : pprofDiffer.diff(real, junk);
        expectJsonFacts(r.facts);
      }),
      { numRuns: 500 },
    );
  });
});
