// /proc/PID/maps → mapping counts and sizes by kind, allocator areas, and the region list.
// Fact definitions: docs/parsers.md § proc-maps.
import { asText } from './input.js';
import type { Facts, ParseResult, Parser, ParserInput } from './types.js';
import { areaTotals, classifyMemoryAreas } from './proc-maps/memory-areas.js';
import { addressHex, isReservation, parseMapsText, sizeKb, type MapRegion } from './proc-maps/region.js';

/** vm.max_map_count's default; past it mmap/mprotect fail with ENOMEM (domain.md). */
export const DEFAULT_MAX_MAP_COUNT = 65530;
/** "Near" the limit: within 10% of it. */
const NEAR_MAX_MAP_COUNT_SHARE = 0.9;

export const procMapsParser: Parser = {
  name: 'proc-maps',
  summary: '/proc/PID/maps: mappings, sizes by kind ([heap], stacks, anonymous, files), Go and glibc arenas',
  keyFacts: ['mappings', 'total_kb', 'anon_kb', 'heap_kb', 'stack_kb', 'file_kb', 'go_arena_kb', 'glibc_arena_count', 'glibc_arena_kb', 'near_max_map_count'],
  parse(input: ParserInput, options: Record<string, unknown> = {}): ParseResult {
    const text = asText(input);
    const { regions, warnings } = parseMapsText(text);
    const facts = mapsFacts(regions, maxMapCountOption(options.maxMapCount));
    if (regions.length > 0) return { facts, warnings };
    if (text.trim() === '') return { facts, warnings, error: { code: 'empty', message: 'no input: expected the text of /proc/PID/maps' } };
    return {
      facts,
      warnings,
      error: { code: 'unrecognised-format', message: 'no maps lines found: expected lines like "55680bed6000-55680bef7000 rw-p 00000000 00:00 0   [heap]"' },
    };
  },
};

function maxMapCountOption(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_MAP_COUNT;
}

export interface KindTotals {
  total_kb: number;
  anon_kb: number;
  reserved_kb: number;
  heap_kb: number;
  stack_kb: number;
  file_kb: number;
}

/** Sizes in KiB by kind. anon_kb leaves out PROT_NONE reservations, which hold no memory. */
export function kindTotals(regions: readonly MapRegion[]): KindTotals {
  const t: KindTotals = { total_kb: 0, anon_kb: 0, reserved_kb: 0, heap_kb: 0, stack_kb: 0, file_kb: 0 };
  for (const region of regions) {
    const kb = sizeKb(region);
    t.total_kb += kb;
    if (isReservation(region)) t.reserved_kb += kb;
    if (region.kind === 'anon' && !isReservation(region)) t.anon_kb += kb;
    else if (region.kind === 'heap') t.heap_kb += kb;
    else if (region.kind === 'stack') t.stack_kb += kb;
    else if (region.kind === 'file') t.file_kb += kb;
  }
  return t;
}

function mapsFacts(regions: readonly MapRegion[], maxMapCount: number): Facts {
  const areas = classifyMemoryAreas(regions);
  return {
    mappings: regions.length,
    ...kindTotals(regions),
    ...areaTotals(regions, areas),
    deleted_file_mappings: regions.filter((r) => r.kind === 'file' && r.path.endsWith(' (deleted)')).length,
    max_map_count: maxMapCount,
    map_count_headroom: maxMapCount - regions.length,
    near_max_map_count: regions.length >= maxMapCount * NEAR_MAX_MAP_COUNT_SHARE,
    regions: regions.map(regionFact),
  };
}

export function regionFact(r: MapRegion): Facts {
  return {
    start: addressHex(r.start),
    end: addressHex(r.end),
    size_kb: sizeKb(r),
    perms: r.perms,
    kind: r.kind,
    path: r.path,
    offset: r.offset,
    dev: r.dev,
    inode: r.inode,
  };
}
