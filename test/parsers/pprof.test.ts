import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pprofParser } from '../../src/parsers/pprof.js';
import { expectSameTop, fixture } from './pprof-peer.js';
import { expectJsonFacts } from './facts-json.js';

const local = (path: string): Buffer => fixture(`pprof/local/${path}`);
const expected = (name: string): Buffer => fixture(`pprof/local/expected_pprof_1.19.8/${name}`);
const all = { top: 0 };

describe('pprof parser: agreement with go tool pprof -top (go1.19.8)', () => {
  it('heap inuse_space with -unit=B, row for row', () => {
    const result = pprofParser.parse(local('after/heap.pb.gz'), all);
    expect(result.error).toBeUndefined();
    expect(result.facts.sample_type).toBe('inuse_space');
    expectSameTop(result.facts, expected('heap_after.top.unitB.txt'));
  });

  it('heap alloc_space and inuse_objects via options.sample_type (kB output: within rounding)', () => {
    const kB = 0.005 * 1024;
    expectSameTop(pprofParser.parse(local('after/heap.pb.gz'), { ...all, sample_type: 'alloc_space' }).facts, expected('heap_after.alloc_space.top.txt'), kB);
    expectSameTop(pprofParser.parse(local('after/heap.pb.gz'), { ...all, sample_type: 'inuse_objects' }).facts, expected('heap_after.inuse_objects.top.txt'));
  });

  it('top: 5 gives the rows of -nodecount=5', () => {
    expectSameTop(pprofParser.parse(local('after/heap.pb.gz'), { top: 5 }).facts, expected('heap_after.top.nodecount5.txt'), 0.005 * 1024);
  });

  it('goroutine profile: node_fraction drops the same 23 nodes', () => {
    const result = pprofParser.parse(local('after/goroutine.pb.gz'), all);
    expectSameTop(result.facts, expected('goroutine_after.top.txt'));
    expect(result.facts.dropped_nodes).toBe(23);
  });

  it('cpu profile in ns, including (inline) labels', () => {
    const result = pprofParser.parse(local('after/cpu.pb.gz'), all);
    expectSameTop(result.facts, expected('cpu_after.top.unitns.txt'));
    expect(result.facts).toMatchObject({ period: 10000000, period_type: 'cpu/nanoseconds', duration_ns: 2001684172 });
  });

  it('a -diff_base merged profile (negative int64, pprof::base labels) reads like the diff', () => {
    const result = pprofParser.parse(fixture('pprof/local/diff_base_merged.heap.pb.gz'), all);
    expect(result.error).toBeUndefined();
    expectSameTop(result.facts, expected('heap.diff_base.top.unitB.txt'));
  });

  it('large.cpu (23k functions, recursion, inlining): every row with -nodefraction=0, and the default cut', () => {
    const large = fixture('pprof/google_pprof/large.cpu.pb.gz');
    expectSameTop(pprofParser.parse(large, { top: 0, node_fraction: 0 }).facts, fixture('pprof/expected_go1.19.8_local/large.cpu.top.nodefraction0.unitns.txt'));
    expectSameTop(pprofParser.parse(large, all).facts, fixture('pprof/expected_go1.19.8_local/large.cpu.top.unitns.txt'));
  }, 120_000);
});

describe('pprof parser: facts', () => {
  it('reports sample types, totals per type, the default type and exact time_nanos', () => {
    const { facts } = pprofParser.parse(local('after/heap.pb.gz'));
    expect(facts.sample_types).toEqual([
      { type: 'alloc_objects', unit: 'count' },
      { type: 'alloc_space', unit: 'bytes' },
      { type: 'inuse_objects', unit: 'count' },
      { type: 'inuse_space', unit: 'bytes' },
    ]);
    expect(facts.default_sample_type).toBe('inuse_space');
    expect(facts.totals).toEqual({ alloc_objects: 23795, alloc_space: 26212049, inuse_objects: 7001, inuse_space: 19454202 });
    // 1795305413676063122 > 2^53: a Number would print 1795305413676063000.
    expect(facts.time_nanos).toBe('1795305413676063122');
    expect((facts.top_flat as unknown[]).length).toBe(11);
  });

  it('top limits both lists; top_cum is in cum order', () => {
    const { facts } = pprofParser.parse(local('after/heap.pb.gz'), { top: 3 });
    const cum = facts.top_cum as { name: string; cum: number }[];
    expect(cum.map((r) => r.cum)).toEqual([18405370, 18405370, 18405370]);
    expect((facts.top_flat as unknown[]).length).toBe(3);
  });

  it('reads a raw (not gzipped) profile with unpacked repeated fields, and a Node profile', () => {
    const raw = pprofParser.parse(fixture('pprof/pprof_format/non-packed-repeated.pprof'));
    expect(raw.error).toBeUndefined();
    const node = pprofParser.parse(fixture('pprof/pprof_format/test.pprof'), { sample_type: 'alloc-space' });
    expect(node.error).toBeUndefined();
    expect(node.facts.sample_type).toBe('alloc-space');
  });

  it('names an unknown sample type and lists the ones present', () => {
    const r = pprofParser.parse(local('after/heap.pb.gz'), { sample_type: 'cpu' });
    expect(r.error?.code).toBe('invalid');
    expect(r.error?.message).toContain('alloc_objects, alloc_space, inuse_objects, inuse_space');
  });

  it.each([
    ['gobench.heap', 'legacy text profile'],
    ['go.godoc.thread', 'legacy text profile'],
    ['cppbench.heap', 'legacy text profile'],
    ['cppbench.contention', 'legacy text profile'],
    ['gobench.cpu', 'legacy binary CPU profile'],
    ['go.crc32.cpu', 'legacy binary CPU profile'],
  ])('recognises the legacy format of %s and refuses it', (name, what) => {
    const r = pprofParser.parse(fixture(`pprof/google_pprof/profile_testdata/${name}`));
    expect(r.error?.code).toBe('unsupported-format');
    expect(r.error?.message).toContain(what);
  });

  it('also refuses a gzipped legacy text profile and heap?debug=1 text', () => {
    const text = fixture('pprof/local/after/heap.debug1.txt');
    expect(pprofParser.parse(gzipSync(text)).error?.code).toBe('unsupported-format');
    expect(pprofParser.parse(text).error?.code).toBe('unsupported-format');
  });

  it('says so when a binary profile arrives as a decoded string', () => {
    const r = pprofParser.parse(local('after/heap.pb.gz').toString('utf8'));
    expect(r.error?.message).toMatch(/pass the file's bytes/);
  });

  it('reports a truncated gzip stream and empty input as errors', () => {
    const gz = local('after/heap.pb.gz');
    expect(pprofParser.parse(gz.subarray(0, gz.length / 2)).error?.code).toBe('invalid');
    expect(pprofParser.parse(new Uint8Array()).error?.code).toBe('empty');
  });
});

describe('pprof parser: properties', () => {
  it('never throws on arbitrary bytes or strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 512 }), fc.string({ maxLength: 512 })), (input) => {
        const r = pprofParser.parse(input);
        expect(r.error !== undefined || Array.isArray(r.facts.top_flat)).toBe(true);
        expectJsonFacts(r.facts);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on any truncation or single-byte corruption of a real profile (raw and gzip)', () => {
    const gz = local('after/heap.pb.gz');
    const raw = new Uint8Array(gunzipSync(gz));
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.nat(255), fc.nat(), (zipped, cutAt, byte, at) => {
        const source = zipped ? new Uint8Array(gz) : raw.slice();
        const cut = source.slice(0, cutAt % (source.length + 1));
        if (cut.length > 0) cut[at % cut.length] = byte;
        expectJsonFacts(pprofParser.parse(cut).facts);
      }),
      { numRuns: 1000 },
    );
  });
});
