// `memstats`: runtime.MemStats from the `# runtime.MemStats` trailer of heap?debug=1 or from
// expvar /debug/vars JSON (the `memstats` object, or that object alone as people paste it).
// Bytes stay bytes. LastGC and PauseEnd are Unix ns beyond 2^53: decimal strings.
// The PauseNs ring (domain.md, "expvar"): newest at (NumGC+255)%256, min(NumGC,256) valid entries.
import { asText } from './input.js';
import { ExactInteger, parseExactJson, type ExactJson } from './json-exact.js';
import type { Facts, FactValue, Parser, ParseResult, ParseWarning } from './types.js';
import { nearestRank } from './percentile.js';

const FIELD_NAMES: Record<string, string> = {
  Alloc: 'alloc',
  TotalAlloc: 'total_alloc',
  Sys: 'sys',
  Lookups: 'lookups',
  Mallocs: 'mallocs',
  Frees: 'frees',
  HeapAlloc: 'heap_alloc',
  HeapSys: 'heap_sys',
  HeapIdle: 'heap_idle',
  HeapInuse: 'heap_inuse',
  HeapReleased: 'heap_released',
  HeapObjects: 'heap_objects',
  StackInuse: 'stack_inuse',
  StackSys: 'stack_sys',
  MSpanInuse: 'mspan_inuse',
  MSpanSys: 'mspan_sys',
  MCacheInuse: 'mcache_inuse',
  MCacheSys: 'mcache_sys',
  BuckHashSys: 'buck_hash_sys',
  GCSys: 'gc_sys',
  OtherSys: 'other_sys',
  NextGC: 'next_gc',
  LastGC: 'last_gc',
  PauseTotalNs: 'pause_total_ns',
  NumGC: 'num_gc',
  NumForcedGC: 'num_forced_gc',
  GCCPUFraction: 'gc_cpu_fraction',
  EnableGC: 'enable_gc',
  DebugGC: 'debug_gc',
  MaxRSS: 'max_rss',
};

// heap?debug=1 prints these pairs as "# Stack = inuse / sys" (runtime/pprof writeHeapInternal).
const PAIRS: Record<string, [string, string]> = {
  Stack: ['stack_inuse', 'stack_sys'],
  MSpan: ['mspan_inuse', 'mspan_sys'],
  MCache: ['mcache_inuse', 'mcache_sys'],
};

const REQUIRED = ['heap_alloc', 'heap_sys', 'heap_inuse', 'heap_idle', 'heap_released', 'sys', 'next_gc', 'num_gc'];

interface RawStats {
  scalars: Facts;
  pauseNs: number[] | null;
  pauseEnd: string[] | null;
}

function snake(name: string): string {
  return FIELD_NAMES[name] ?? name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** An integer as a number when exact, else its decimal string (with a warning by the caller). */
function integerFact(digits: string): FactValue {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : digits;
}

function fromDebug1(text: string, warnings: ParseWarning[]): RawStats | null {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === '# runtime.MemStats');
  if (start < 0) return null;
  const raw: RawStats = { scalars: {}, pauseNs: null, pauseEnd: null };
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^#\s*(\w+)\s*=\s*(.*?)\s*$/.exec(lines[i]!);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'PauseNs' || key === 'PauseEnd' || key === 'BySize') {
      const list = /^\[([\d\s]*)\]$/.exec(value);
      if (!list) {
        warnings.push({ message: `${key} is cut short (expected "[n n …]")`, line: i + 1 });
        continue;
      }
      const items = list[1]!.trim() === '' ? [] : list[1]!.trim().split(/\s+/);
      if (key === 'PauseNs') raw.pauseNs = items.map(Number);
      if (key === 'PauseEnd') raw.pauseEnd = items;
      continue;
    }
    const pair = PAIRS[key];
    const pairValue = /^(\d+)\s*\/\s*(\d+)$/.exec(value);
    if (pair && pairValue) {
      raw.scalars[pair[0]] = integerFact(pairValue[1]!);
      raw.scalars[pair[1]] = integerFact(pairValue[2]!);
    } else if (/^-?\d+$/.test(value)) {
      raw.scalars[snake(key)] = key === 'LastGC' ? value : integerFact(value);
    } else if (/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(value) && Number.isFinite(Number(value))) {
      raw.scalars[snake(key)] = Number(value);
    } else if (value === 'true' || value === 'false') {
      raw.scalars[snake(key)] = value === 'true';
    }
  }
  return raw;
}

function exactToFact(v: ExactJson): FactValue {
  if (v instanceof ExactInteger) return v.digits;
  if (Array.isArray(v)) return v.map(exactToFact);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, exactToFact(x)]));
  return v;
}

function fromExpvar(doc: ExactJson, warnings: ParseWarning[], facts: Facts): RawStats | null {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || doc instanceof ExactInteger) return null;
  const inner = doc.memstats;
  const stats = inner && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof ExactInteger) ? inner : 'HeapAlloc' in doc ? doc : null;
  if (!stats) return null;
  if (Array.isArray(doc.cmdline)) facts.cmdline = doc.cmdline.map(exactToFact);
  const raw: RawStats = { scalars: {}, pauseNs: null, pauseEnd: null };
  for (const [key, value] of Object.entries(stats)) {
    if (key === 'PauseNs' && Array.isArray(value)) {
      const pauses = value.map((x) => (x instanceof ExactInteger ? Number(x.digits) : x));
      if (pauses.every((x) => typeof x === 'number' && Number.isFinite(x))) raw.pauseNs = pauses as number[];
      else warnings.push({ message: 'PauseNs holds values that are not numbers; ignored' });
    }
    else if (key === 'PauseEnd' && Array.isArray(value)) raw.pauseEnd = value.map((x) => String(exactToFact(x)));
    else if (key === 'BySize') continue;
    else if (value instanceof ExactInteger) raw.scalars[snake(key)] = value.digits;
    else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
      raw.scalars[snake(key)] = key === 'LastGC' ? String(value) : value;
    }
  }
  if (!raw.pauseNs && !('PauseNs' in stats)) warnings.push({ message: 'memstats has no PauseNs: recent pauses unknown' });
  return raw;
}

/** The valid ring entries, newest first. */
export function recentPauses(pauseNs: readonly number[], numGc: number): number[] {
  if (pauseNs.length !== 256) return [];
  const count = Math.min(numGc, 256);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(pauseNs[(numGc + 255 - i) % 256]!);
  return out;
}

function finish(raw: RawStats, facts: Facts, warnings: ParseWarning[]): ParseResult {
  Object.assign(facts, raw.scalars);
  const numGc = typeof raw.scalars.num_gc === 'number' ? raw.scalars.num_gc : null;
  let recent: number[] | null = null;
  if (raw.pauseNs && numGc !== null) {
    if (raw.pauseNs.length === 256) recent = recentPauses(raw.pauseNs, numGc);
    else warnings.push({ message: `PauseNs has ${raw.pauseNs.length} entries, expected the 256-entry ring` });
  } else if (raw.pauseNs) {
    warnings.push({ message: 'NumGC missing: cannot tell where the PauseNs ring starts' });
  }
  const recentMs = recent ? recent.map((ns) => ns / 1e6) : null;
  facts.pause_recent_ms = recentMs;
  const sorted = recentMs ? [...recentMs].sort((a, b) => a - b) : [];
  facts.pause_max_recent_ms = sorted.length ? sorted[sorted.length - 1]! : null;
  facts.pause_p99_recent_ms = sorted.length ? nearestRank(sorted, 99) : null;
  // Longest first, as gctrace's stw_top_ms: a second long pause means they recur.
  facts.pause_top_recent_ms = recentMs ? sorted.slice(-5).reverse() : null;
  if (raw.pauseEnd && numGc !== null && raw.pauseEnd.length === 256) {
    facts.pause_end_recent = Array.from({ length: Math.min(numGc, 256) }, (_, i) => raw.pauseEnd![(numGc + 255 - i) % 256]!);
  }
  // heap?debug=1 prints no PauseTotalNs; while NumGC ≤ 256 the ring still holds every pause.
  if (facts.pause_total_ns === undefined) {
    facts.pause_total_ns = recent && numGc !== null && numGc <= 256 ? recent.reduce((s, x) => s + x, 0) : null;
  }
  for (const [k, v] of Object.entries(raw.scalars)) {
    if (typeof v === 'string' && k !== 'last_gc') warnings.push({ message: `${k} exceeds 2^53; kept as a decimal string` });
  }
  const missing = REQUIRED.filter((k) => facts[k] === undefined);
  for (const k of REQUIRED) facts[k] ??= null;
  for (const k of ['heap_inuse', 'stack_inuse', 'stack_sys', 'num_forced_gc', 'gc_cpu_fraction', 'last_gc']) facts[k] ??= null;
  if (missing.length > 0) warnings.push({ message: `missing MemStats fields (input cut short?): ${missing.join(', ')}` });
  return { facts, warnings };
}

function parseMemstats(input: string | Uint8Array): ParseResult {
  const text = asText(input);
  const warnings: ParseWarning[] = [];
  if (text.trim() === '') return { facts: {}, warnings, error: { code: 'empty', message: 'empty input' } };
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const doc = parseExactJson(text);
    if (doc === undefined) {
      return { facts: {}, warnings, error: { code: 'invalid', message: 'expvar input is not valid JSON (cut short?)' } };
    }
    const facts: Facts = { source: 'expvar' };
    const raw = fromExpvar(doc, warnings, facts);
    if (raw) return finish(raw, facts, warnings);
    return { facts: {}, warnings, error: { code: 'unrecognised-format', message: 'JSON without a "memstats" object: not expvar /debug/vars' } };
  }
  const raw = fromDebug1(text, warnings);
  if (raw) return finish(raw, { source: 'heap-debug1' }, warnings);
  if (/^heap profile:/.test(trimmed)) {
    return { facts: {}, warnings, error: { code: 'invalid', message: 'heap?debug=1 output without its "# runtime.MemStats" trailer (cut short?)' } };
  }
  return {
    facts: {},
    warnings,
    error: { code: 'unrecognised-format', message: 'neither a "# runtime.MemStats" trailer (heap?debug=1) nor expvar JSON' },
  };
}

export const memstatsParser: Parser = {
  name: 'memstats',
  summary: 'runtime.MemStats from heap?debug=1 (its "# runtime.MemStats" trailer) or expvar /debug/vars JSON',
  keyFacts: ['heap_alloc', 'heap_inuse', 'heap_sys', 'heap_released', 'stack_inuse', 'sys', 'next_gc', 'num_gc', 'pause_max_recent_ms'],
  parse: (input) => parseMemstats(input),
};
