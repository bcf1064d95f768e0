// `memstats` diff: after − before for every numeric MemStats field both snapshots have.
// LastGC (a Unix-ns string) becomes last_gc_delta_ns, exact through BigInt.
import { memstatsParser } from '../parsers/memstats.js';
import type { Differ, Facts, ParseResult, ParserInput } from '../parsers/types.js';

function diffMemstats(before: ParserInput, after: ParserInput): ParseResult {
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
  return { facts, warnings };
}

export const memstatsDiffer: Differ = {
  kind: 'memstats',
  summary: 'two runtime.MemStats snapshots (heap?debug=1 or expvar): per-field deltas (heap_inuse_delta, sys_delta, …)',
  keyFacts: ['heap_inuse_delta', 'heap_alloc_delta', 'heap_sys_delta', 'heap_released_delta', 'stack_inuse_delta', 'sys_delta', 'num_gc_delta'],
  diff: diffMemstats,
};
