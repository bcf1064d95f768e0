// `memstats` diff: after − before for every numeric MemStats field both snapshots have.
// LastGC (a Unix-ns string) becomes last_gc_delta_ns, exact through BigInt.
import { memstatsParser } from '../parsers/memstats.js';
import type { Differ, FactValue, Facts, ParseResult, ParserInput } from '../parsers/types.js';

function diffMemstats(before: ParserInput, after: ParserInput, options?: Record<string, unknown>): ParseResult {
  const a = memstatsParser.parse(before);
  const b = memstatsParser.parse(after);
  const warnings = [
    ...a.warnings.map((w) => ({ message: `before: ${w.message}` })),
    ...b.warnings.map((w) => ({ message: `after: ${w.message}` })),
  ];
  if (a.error) return { facts: {}, warnings, error: { ...a.error, message: `before: ${a.error.message}` } };
  if (b.error) return { facts: {}, warnings, error: { ...b.error, message: `after: ${b.error.message}` } };
  const deltas: Facts = {};
  for (const [key, value] of Object.entries(b.facts)) {
    const old = a.facts[key];
    if (typeof value === 'number' && typeof old === 'number') deltas[`${key}_delta`] = value - old;
  }
  const lastA = a.facts.last_gc;
  const lastB = b.facts.last_gc;
  if (typeof lastA === 'string' && typeof lastB === 'string' && /^\d+$/.test(lastA) && /^\d+$/.test(lastB)) {
    deltas.last_gc_delta_ns = Number(BigInt(lastB) - BigInt(lastA));
  }
  const facts: Facts = { source_before: a.facts.source ?? null, source_after: b.facts.source ?? null, ...deltas };
  facts.gc_cycles_between = deltas.num_gc_delta ?? null;
  facts.runtime_metadata_sys_delta = metadataDelta(deltas);
  Object.assign(facts, ratesPerSecond(deltas, options?.interval_s));
  return { facts, warnings };
}

/** Go's off-heap runtime structures (GC bitmaps, span and mcache structs, profiling buckets,
 *  the rest): memory Go mapped outside its arenas, so resident growth there is Go's, not C's. */
const METADATA_SYS = ['gc_sys_delta', 'mspan_sys_delta', 'mcache_sys_delta', 'buck_hash_sys_delta', 'other_sys_delta'];

function metadataDelta(deltas: Facts): FactValue {
  const present = METADATA_SYS.map((name) => deltas[name]).filter((value): value is number => typeof value === 'number');
  return present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0);
}

/** With the snapshots' gap (`options.interval_s`, which MemStats itself does not carry):
 *  bytes and objects allocated per second (TotalAlloc and Mallocs only grow, and count
 *  every allocation, not a sample), frees and GC cycles per second. */
function ratesPerSecond(deltas: Facts, intervalS: unknown): Facts {
  if (typeof intervalS !== 'number' || !(intervalS > 0)) return {};
  const rate = (name: string): FactValue => {
    const delta = deltas[name];
    return typeof delta === 'number' ? Math.round((delta / intervalS) * 10) / 10 : null;
  };
  return {
    interval_s: intervalS,
    total_alloc_per_s: rate('total_alloc_delta'),
    mallocs_per_s: rate('mallocs_delta'),
    frees_per_s: rate('frees_delta'),
    gc_per_s: Math.round(((typeof deltas.num_gc_delta === 'number' ? deltas.num_gc_delta : 0) / intervalS) * 1000) / 1000,
  };
}

export const memstatsDiffer: Differ = {
  kind: 'memstats',
  summary: 'two runtime.MemStats snapshots (heap?debug=1 or expvar): per-field deltas (heap_inuse_delta, sys_delta, …)',
  keyFacts: ['heap_inuse_delta', 'heap_alloc_delta', 'heap_sys_delta', 'heap_released_delta', 'stack_inuse_delta', 'sys_delta', 'runtime_metadata_sys_delta', 'num_gc_delta'],
  diff: diffMemstats,
};
