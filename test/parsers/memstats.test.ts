import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExactJson, ExactInteger } from '../../src/parsers/json-exact.js';
import { memstatsParser, recentPauses } from '../../src/parsers/memstats.js';
import { fixture } from './pprof-peer.js';
import { expectJsonFacts } from './facts-json.js';

describe('memstats parser', () => {
  it('heap?debug=1 trailer: bytes stay bytes, LastGC exact, pauses newest first', () => {
    const { facts, warnings } = memstatsParser.parse(fixture('httppprof/local/heap_debug1_go1.19.8.txt'));
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({
      source: 'heap-debug1',
      heap_alloc: 30243176,
      heap_sys: 31948800,
      heap_inuse: 30957568,
      heap_idle: 991232,
      heap_released: 925696,
      stack_inuse: 1605632,
      stack_sys: 1605632,
      sys: 44676360,
      next_gc: 43424504,
      num_gc: 6,
      num_forced_gc: 1,
      gc_cpu_fraction: 0.002591836962428389,
      last_gc: '1795305409134336990',
      max_rss: 114540544,
    });
    // PauseNs = [12726 40692 60614 41951 45569 1859044 0 …], NumGC = 6: newest is index 5.
    expect(facts.pause_recent_ms).toEqual([1.859044, 0.045569, 0.041951, 0.060614, 0.040692, 0.012726]);
    expect(facts.pause_max_recent_ms).toBe(1.859044);
    expect(facts.pause_p99_recent_ms).toBe(1.859044);
    expect(facts.pause_top_recent_ms).toEqual([1.859044, 0.060614, 0.045569, 0.041951, 0.040692]);
    // No PauseTotalNs line in debug=1; with NumGC ≤ 256 the ring holds every pause.
    expect(facts.pause_total_ns).toBe(2060596);
  });

  it('expvar /debug/vars: the same facts, cmdline, exact PauseEnd', () => {
    const { facts, warnings } = memstatsParser.parse(fixture('httppprof/local/debug_vars_go1.19.8.json'));
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({ source: 'expvar', cmdline: ['./leaky', '/tmp/leaky.addr'], heap_inuse: 33890304, pause_total_ns: 2060596, last_gc: '1795305409134336990' });
    expect((facts.pause_end_recent as string[])[0]).toBe('1795305409134336990');
  });

  it('a pasted memstats object without PauseNs (kubo#5530) parses with a warning', () => {
    const { facts, warnings } = memstatsParser.parse(fixture('httppprof/public/ipfs_kubo_issue5530_debug_vars_memstats_excerpt.json'));
    expect(facts).toMatchObject({ source: 'expvar', num_gc: 328, heap_inuse: 180756480, pause_recent_ms: null, last_gc: '1538202755353124600' });
    expect(warnings.map((w) => w.message)).toContain('memstats has no PauseNs: recent pauses unknown');
  });

  it('a trailer cut short (golang#68136) keeps what is there and names what is missing', () => {
    const { facts, warnings, error } = memstatsParser.parse(fixture('httppprof/public/golang_issue68136_go1.23rc1_heap_debug1_rate0_TRUNCATED.txt'));
    expect(error).toBeUndefined();
    expect(facts).toMatchObject({ heap_sys: 610533376, num_gc: null, pause_recent_ms: null });
    expect(warnings.at(-1)?.message).toMatch(/missing MemStats fields .*num_gc/);
  });

  it('a heap profile without its trailer is named as such', () => {
    const r = memstatsParser.parse(fixture('httppprof/public/containerpilot_issue464_heap_debug1_go1.8era.txt'));
    expect(r.error).toMatchObject({ code: 'invalid' });
    expect(r.error?.message).toMatch(/without its "# runtime.MemStats" trailer/);
  });

  it('drops a number that does not fit a double rather than storing Infinity', () => {
    const { facts } = memstatsParser.parse('# runtime.MemStats\n# GCCPUFraction = 1e999\n# NumGC = 1\n');
    expect(facts.gc_cpu_fraction).toBeNull();
    expectJsonFacts(facts);
    const expvar = memstatsParser.parse('{"memstats": {"HeapAlloc": 1e999, "NumGC": 1, "PauseNs": ["x"]}}');
    expect(expvar.facts.heap_alloc).toBeNull();
    expect(expvar.warnings.map((w) => w.message)).toContain('PauseNs holds values that are not numbers; ignored');
    expectJsonFacts(expvar.facts);
  });

  it('the PauseNs ring wraps after 256 cycles', () => {
    const ring = Array.from({ length: 256 }, (_, i) => i);
    // NumGC = 300: the newest pause is at (300+255)%256 = 43, then 42 … wrapping to 255 … 44.
    const recent = recentPauses(ring, 300);
    expect(recent).toHaveLength(256);
    expect(recent.slice(0, 3)).toEqual([43, 42, 41]);
    expect(recent[44]).toBe(255);
    expect(recent.at(-1)).toBe(44);
    expect(recentPauses(ring, 0)).toEqual([]);
  });

  it('rejects JSON without memstats, broken JSON and empty input', () => {
    expect(memstatsParser.parse('{"cmdline": []}').error?.code).toBe('unrecognised-format');
    expect(memstatsParser.parse('{"memstats": {"HeapAlloc": 1').error?.code).toBe('invalid');
    expect(memstatsParser.parse('  ').error?.code).toBe('empty');
  });
});

describe('json-exact', () => {
  it('keeps integers beyond 2^53 exact and the rest like JSON.parse', () => {
    const doc = parseExactJson('{"a": 1795305409134336990, "b": [1.5, -2, "x\\u00e9"], "c": null, "d": true}') as Record<string, unknown>;
    expect(doc.a).toEqual(new ExactInteger('1795305409134336990'));
    expect(doc.b).toEqual([1.5, -2, 'xé']);
    expect(doc).toMatchObject({ c: null, d: true });
  });

  it('agrees with JSON.parse on any JSON value with safe numbers, by either path, and never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = JSON.stringify(value);
        const safe = JSON.parse(text, (_k, v) => (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) ? undefined : v));
        if (JSON.stringify(safe) !== text) return;
        expect(parseExactJson(text)).toEqual(JSON.parse(text));
        // A 16-digit run sends the same value through the hand-written reader.
        expect(parseExactJson(`[${text}, "1234567890123456"]`)).toEqual([JSON.parse(text), '1234567890123456']);
      }),
    );
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => void parseExactJson(s)));
  });
});

describe('memstats parser: properties', () => {
  const statsArb = fc.record({
    HeapAlloc: fc.nat(), HeapSys: fc.nat(), HeapIdle: fc.nat(), HeapInuse: fc.nat(), HeapReleased: fc.nat(),
    StackInuse: fc.nat(), StackSys: fc.nat(), Sys: fc.nat(), NextGC: fc.nat(), NumGC: fc.nat(2000),
    LastGC: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
    PauseNs: fc.array(fc.nat(10_000_000), { minLength: 256, maxLength: 256 }),
  });
  const renderDebug1 = (s: Record<string, unknown>): string =>
    ['heap profile: 0: 0 [0: 0] @ heap/524288', '', '# runtime.MemStats',
      ...Object.entries(s).map(([k, v]) => (Array.isArray(v) ? `# ${k} = [${v.join(' ')}]` : `# ${k} = ${String(v)}`))].join('\n');
  const renderExpvar = (s: Record<string, unknown>): string =>
    `{"memstats": {${Object.entries(s).map(([k, v]) => `"${k}": ${Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`).join(', ')}}}`;

  it('parse(render(stats)) returns the fields, from both renderings', () => {
    fc.assert(
      fc.property(statsArb, fc.boolean(), (stats, expvar) => {
        const { facts, warnings } = memstatsParser.parse(expvar ? renderExpvar(stats) : renderDebug1(stats));
        expect(warnings).toEqual([]);
        expect(facts).toMatchObject({ heap_alloc: stats.HeapAlloc, heap_inuse: stats.HeapInuse, num_gc: stats.NumGC, last_gc: stats.LastGC.toString() });
        expect(facts.pause_recent_ms).toEqual(recentPauses(stats.PauseNs, stats.NumGC).map((ns) => ns / 1e6));
      }),
    );
  });

  it('never throws on arbitrary text or bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), fc.string().map((s) => `# runtime.MemStats\n${s}`)), (input) => {
        expectJsonFacts(memstatsParser.parse(input).facts);
      }),
      { numRuns: 2000 },
    );
  });
});
