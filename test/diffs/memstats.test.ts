import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memstatsDiffer } from '../../src/diffs/memstats.js';
import { fixture } from '../parsers/pprof-peer.js';
import { expectJsonFacts } from '../parsers/facts-json.js';

const local = (path: string): Buffer => fixture(`pprof/local/${path}`);

describe('memstats diff', () => {
  it('field deltas between two expvar snapshots', () => {
    const r = memstatsDiffer.diff(local('before/debug_vars.json'), local('after/debug_vars.json'));
    expect(r.error).toBeUndefined();
    const before = JSON.parse(local('before/debug_vars.json').toString()).memstats;
    const after = JSON.parse(local('after/debug_vars.json').toString()).memstats;
    expect(r.facts).toMatchObject({
      source_before: 'expvar',
      heap_inuse_delta: after.HeapInuse - before.HeapInuse,
      heap_released_delta: after.HeapReleased - before.HeapReleased,
      stack_inuse_delta: after.StackInuse - before.StackInuse,
      sys_delta: after.Sys - before.Sys,
      num_gc_delta: after.NumGC - before.NumGC,
    });
  });

  it('compares a debug=1 trailer with expvar, and LastGC exactly (BigInt, beyond 2^53)', () => {
    const r = memstatsDiffer.diff(local('before/heap.debug1.txt'), local('after/debug_vars.json'));
    const lastGc = (path: string): bigint => BigInt(/(?:LastGC = |"LastGC":)(\d+)/.exec(local(path).toString())![1]!);
    expect(r.facts.last_gc_delta_ns).toBe(Number(lastGc('after/debug_vars.json') - lastGc('before/heap.debug1.txt')));
    expect(r.facts.source_before).toBe('heap-debug1');
  });

  it('names the side that failed', () => {
    const r = memstatsDiffer.diff('{}', local('after/debug_vars.json'));
    expect(r.error?.message).toMatch(/^before:/);
  });

  it('never throws on arbitrary inputs', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (a, b) => {
        expectJsonFacts(memstatsDiffer.diff(a, b).facts);
        expectJsonFacts(memstatsDiffer.diff(local('before/debug_vars.json'), a).facts);
      }),
      { numRuns: 500 },
    );
  });
});
