// /proc/PID/maps → mapping counts and sizes by kind, allocator areas, and the region list.
// Fact definitions: docs/parsers.md § proc-maps. Read in chunks into a table (any size).
import { parseWhole } from './chunk-lines.js';
import type { Facts, ParseResult, ParseStream, StreamingParser } from './types.js';
import { areaTotals, classifyMemoryAreas } from './proc-maps/memory-areas.js';
import { MapsScan } from './proc-maps/maps-scan.js';
import { addressHex } from './proc-maps/region.js';
import type { MapsTable } from './proc-maps/table.js';

/** vm.max_map_count's default; past it mmap/mprotect fail with ENOMEM (domain.md). */
export const DEFAULT_MAX_MAP_COUNT = 65530;
/** "Near" the limit: within 10% of it. */
const NEAR_MAX_MAP_COUNT_SHARE = 0.9;

export const procMapsParser: StreamingParser = {
  name: 'proc-maps',
  summary: '/proc/PID/maps: mappings, sizes by kind ([heap], stacks, anonymous, files), Go and glibc arenas',
  keyFacts: ['mappings', 'total_kb', 'anon_kb', 'heap_kb', 'stack_kb', 'file_kb', 'go_arena_kb', 'glibc_arena_count', 'glibc_arena_kb', 'near_max_map_count'],
  parse: (input, options = {}) => parseWhole(input, (skipBom) => mapsStream(skipBom, options)),
  stream: (options = {}) => mapsStream(true, options),
};

function mapsStream(skipBom: boolean, options: Record<string, unknown>): ParseStream {
  const scan = new MapsScan(skipBom, true);
  return {
    write: (chunk) => scan.write(chunk),
    end: (): ParseResult => {
      const { table, warnings, sawText } = scan.end();
      const facts = mapsFacts(table, maxMapCountOption(options.maxMapCount));
      if (table.count > 0) return { facts, warnings };
      if (!sawText) return { facts, warnings, error: { code: 'empty', message: 'no input: expected the text of /proc/PID/maps' } };
      return {
        facts,
        warnings,
        error: { code: 'unrecognised-format', message: 'no maps lines found: expected lines like "55680bed6000-55680bef7000 rw-p 00000000 00:00 0   [heap]"' },
      };
    },
  };
}

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
export function kindTotals(regions: MapsTable): KindTotals {
  return {
    total_kb: regions.totalKb(),
    anon_kb: regions.kbOfKind('anon') - regions.anonReservedKb(),
    reserved_kb: regions.reservedKb(),
    heap_kb: regions.kbOfKind('heap'),
    stack_kb: regions.kbOfKind('stack'),
    file_kb: regions.kbOfKind('file'),
  };
}

function mapsFacts(regions: MapsTable, maxMapCount: number): Facts {
  const areas = classifyMemoryAreas(regions);
  let deleted = 0;
  const list: Facts[] = new Array<Facts>(regions.count);
  for (let i = 0; i < regions.count; i++) {
    if (regions.isFile(i) && regions.path(i).endsWith(' (deleted)')) deleted++;
    list[i] = regionFact(regions, i);
  }
  return {
    mappings: regions.count,
    ...kindTotals(regions),
    ...areaTotals(areas),
    deleted_file_mappings: deleted,
    max_map_count: maxMapCount,
    map_count_headroom: maxMapCount - regions.count,
    near_max_map_count: regions.count >= maxMapCount * NEAR_MAX_MAP_COUNT_SHARE,
    regions: list,
  };
}

function regionFact(regions: MapsTable, i: number): Facts {
  const r = regions.region(i);
  return {
    start: addressHex(r.start),
    end: addressHex(r.end),
    size_kb: r.kb,
    perms: r.perms,
    kind: r.kind,
    path: r.path,
    offset: r.offset,
    dev: r.dev,
    inode: r.inode,
  };
}
