import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goroutinesDiffer } from '../../src/diffs/goroutines.js';
import { fixture } from '../parsers/pprof-peer.js';
import { expectJsonFacts } from '../parsers/facts-json.js';

const local = (path: string): Buffer => fixture(`pprof/local/${path}`);

describe('goroutines diff', () => {
  it('debug=2 before/after: total_delta and the leaking group first, as a new group', () => {
    const r = goroutinesDiffer.diff(local('before/goroutine.debug2.txt'), local('after/goroutine.debug2.txt'));
    expect(r.error).toBeUndefined();
    expect(r.facts).toMatchObject({ total_before: 3, total_after: 508, total_delta: 505 });
    const grown = r.facts.grown as Record<string, unknown>[];
    expect(grown[0]).toMatchObject({ top_function: 'main.leakGoroutines.func1', before: 0, after: 500, delta: 500, state: 'chan receive', created_by: 'main.leakGoroutines' });
    expect((r.facts.new_groups as Record<string, unknown>[]).map((g) => g.top_function)).toContain('main.leakCHeap.func1');
  });

  it('matches groups across formats (debug=1 before, debug=2 after): unchanged stacks do not show as grown', () => {
    const r = goroutinesDiffer.diff(local('before/goroutine.debug1.txt'), local('after/goroutine.debug2.txt'));
    const grown = r.facts.grown as Record<string, unknown>[];
    expect(grown.map((g) => g.top_function)).toEqual(['main.leakGoroutines.func1', 'main.leakCHeap.func1']);
    expect(r.facts.total_delta).toBe(505);
  });

  it('reports groups that disappeared', () => {
    const r = goroutinesDiffer.diff(local('after/goroutine.debug2.txt'), local('before/goroutine.debug2.txt'));
    expect((r.facts.gone_groups as Record<string, unknown>[])[0]).toMatchObject({ top_function: 'main.leakGoroutines.func1', delta: -500 });
    expect(r.facts.total_delta).toBe(-505);
  });

  it('names the side that is not a goroutine dump', () => {
    const r = goroutinesDiffer.diff(local('before/goroutine.debug2.txt'), 'not a dump');
    expect(r.error).toMatchObject({ code: 'unrecognised-format' });
    expect(r.error?.message).toMatch(/^after:/);
  });

  it('never throws on arbitrary inputs', () => {
    const real = local('before/goroutine.debug2.txt').toString();
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.nat(real.length).map((n) => real.slice(0, n))), fc.uint8Array({ maxLength: 200 }), (a, b) => {
        expectJsonFacts(goroutinesDiffer.diff(a, b).facts);
        expectJsonFacts(goroutinesDiffer.diff(a, real).facts);
      }),
      { numRuns: 500 },
    );
  });
});
