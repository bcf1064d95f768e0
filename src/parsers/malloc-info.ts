// glibc malloc_info(0, f) XML → per-arena system vs free vs in-use bytes. Each <heap nr>
// is an arena: `system current` is what it has from the kernel, `total fast` + `total rest`
// the free chunks it keeps, so in use = system − free. The trailing totals add `mmap`:
// chunks of 128 KiB and more served by their own mmap (always in use). An arena whose
// bytes are mostly free is fragmentation (kept at its high-water mark), not a leak.
// Optional first line `<!-- stopped_ms=N -->`: how long gdb held the process (the collector).
import { asText } from './input.js';
import type { FactValue, ParseResult, ParseWarning, Parser, ParserInput } from './types.js';

interface Totals {
  fast: number;
  rest: number;
  mmap: number;
  mmapCount: number;
  system: number;
  systemMax: number;
}

const emptyTotals = (): Totals => ({ fast: 0, rest: 0, mmap: 0, mmapCount: 0, system: 0, systemMax: 0 });
const kb = (bytes: number): number => Math.round(bytes / 1024);
const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;
const share = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : 0);

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
}

/** Applies one <total …/> or <system …/> element to `totals`; false when it is not one. */
function account(tag: string, totals: Totals): boolean {
  const element = /^<(total|system)\b/.exec(tag)?.[1];
  if (!element) return false;
  const type = attribute(tag, 'type');
  const size = Number(attribute(tag, 'size'));
  if (!Number.isFinite(size)) return false;
  if (element === 'total' && type === 'fast') totals.fast = size;
  else if (element === 'total' && type === 'rest') totals.rest = size;
  else if (element === 'total' && type === 'mmap') {
    totals.mmap = size;
    totals.mmapCount = Number(attribute(tag, 'count') ?? 0) || 0;
  } else if (element === 'system' && type === 'current') totals.system = size;
  else if (element === 'system' && type === 'max') totals.systemMax = size;
  return true;
}

export const mallocInfoParser: Parser = {
  name: 'malloc-info',
  summary: 'glibc malloc_info() XML: per-arena system, free and in-use bytes, mmapped chunks (fragmentation vs held memory)',
  keyFacts: ['arenas', 'system_mb', 'in_use_mb', 'free_mb', 'free_share', 'mmap_mb', 'stopped_ms'],
  parse(input: ParserInput): ParseResult {
    const text = asText(input);
    const warnings: ParseWarning[] = [];
    if (text.trim() === '') return { facts: {}, warnings, error: { code: 'empty', message: 'no input: expected the XML of glibc malloc_info(0, f)' } };
    const opening = /<malloc version="(\d+)">/.exec(text);
    if (!opening) return { facts: {}, warnings, error: { code: 'unrecognised-format', message: 'not malloc_info output: no <malloc version="1"> element' } };
    const facts: Record<string, FactValue> = { version: Number(opening[1]) };
    const stopped = /<!-- stopped_ms=(\d+) -->/.exec(text.slice(0, opening.index));
    if (stopped) facts['stopped_ms'] = Number(stopped[1]);

    const heaps: Array<{ nr: number; totals: Totals }> = [];
    const global = emptyTotals();
    let current: { nr: number; totals: Totals } | undefined;
    let closed = false;
    const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
    for (const match of text.slice(opening.index).matchAll(/<[^>]*>/g)) {
      const tag = match[0];
      const at = opening.index + (match.index ?? 0);
      if (tag.startsWith('<heap ')) {
        const nr = Number(attribute(tag, 'nr'));
        if (!Number.isInteger(nr)) warnings.push({ message: `heap without a numeric nr: ${tag}`, line: lineOf(at) });
        current = { nr: Number.isInteger(nr) ? nr : heaps.length, totals: emptyTotals() };
      } else if (tag === '</heap>') {
        if (current) heaps.push(current);
        current = undefined;
      } else if (tag === '</malloc>') {
        closed = true;
        break;
      } else if (/^<(total|system)\b/.test(tag) && !account(tag, current ? current.totals : global)) {
        warnings.push({ message: `unreadable size in ${tag}`, line: lineOf(at) });
      }
    }
    if (current) warnings.push({ message: `heap ${current.nr} is not closed (output cut short?)` });
    if (!closed) warnings.push({ message: 'no </malloc>: the output was cut short; totals may be missing' });
    if (heaps.length === 0) return { facts, warnings, error: { code: 'invalid', message: 'malloc_info output with no <heap> element (arena)' } };

    // The global totals cover every arena; without them (cut short) sum the arenas.
    const arenaSystem = heaps.reduce((sum, h) => sum + h.totals.system, 0);
    const arenaFree = heaps.reduce((sum, h) => sum + h.totals.fast + h.totals.rest, 0);
    const system = global.system || arenaSystem;
    const free = global.fast + global.rest || arenaFree;
    const inUse = Math.max(0, system - free) + global.mmap;
    const rows = heaps.map((h) => {
      const heapFree = h.totals.fast + h.totals.rest;
      return {
        nr: h.nr,
        system_kb: kb(h.totals.system),
        free_kb: kb(heapFree),
        in_use_kb: kb(Math.max(0, h.totals.system - heapFree)),
        free_share: share(heapFree, h.totals.system),
      };
    });
    Object.assign(facts, {
      arenas: heaps.length,
      system_mb: mb(system),
      system_max_mb: mb(global.systemMax || heaps.reduce((sum, h) => sum + h.totals.systemMax, 0)),
      free_mb: mb(free),
      in_use_mb: mb(inUse),
      mmap_mb: mb(global.mmap),
      mmap_count: global.mmapCount,
      // Of the bytes the arenas hold from the kernel, the share sitting in free chunks.
      free_share: share(free, system),
      heaps: rows,
    });
    return { facts, warnings };
  },
};
