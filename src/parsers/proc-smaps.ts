// /proc/PID/smaps → resident bytes (Rss, Anonymous, Swap) and virtual size per region class
// (Go heap arenas, glibc [heap] and arenas, thread stacks, other anonymous, file-backed).
// Fact definitions: docs/parsers.md § proc-smaps; the classes: proc-smaps/region-class.ts.
import { BlankInput } from './blank-input.js';
import { parseWhole } from './chunk-lines.js';
import type { Facts, ParseResult, ParseStream, StreamingParser } from './types.js';
import { addressHex } from './proc-maps/region.js';
import { sortedByStart } from './proc-maps/overlap.js';
import { tableOfRegions, type MapsTable } from './proc-maps/table.js';
import { SmapsScan, tooManyMappings, type ParsedSmaps, type SmapsRegion } from './proc-smaps/entries.js';
import { classifyRegions, type RegionClass } from './proc-smaps/region-class.js';
import { classTotals, totalsFacts } from './proc-smaps/class-totals.js';

const LARGEST_LIMIT = 10;

export interface ClassifiedSmaps {
  regions: SmapsRegion[];
  /** The same regions as a table, for what smaps shares with maps (areas, clusters). */
  table: MapsTable;
  classes: RegionClass[];
}

/** Parsed and classified regions, address-ordered; shared by the parser and the smaps diff. */
export function classifiedSmaps(regions: SmapsRegion[]): ClassifiedSmaps {
  const sorted = sortedByStart(regions);
  const table = tableOfRegions(sorted);
  return { regions: sorted, table, classes: classifyRegions(sorted, table) };
}

export const procSmapsParser: StreamingParser = {
  name: 'proc-smaps',
  summary: '/proc/PID/smaps: resident (Rss, Anonymous, Swap) and virtual KiB per region class: Go heap, glibc [heap] and arenas, thread stacks, other anonymous, files',
  keyFacts: ['mappings', 'rss_kb', 'anon_kb', 'swap_kb', 'go_heap_anon_kb', 'glibc_heap_anon_kb', 'glibc_arena_anon_kb', 'thread_stack_anon_kb', 'thread_stack_count', 'other_anon_anon_kb'],
  parse: (input) => parseWhole(input, smapsStream),
  stream: () => smapsStream(true),
};

function smapsStream(skipBom: boolean): ParseStream {
  const scan = new SmapsScan(skipBom);
  const blank = new BlankInput();
  return {
    write(chunk) {
      blank.feed(chunk);
      scan.write(chunk);
    },
    end: () => smapsResult(scan.end(), blank.isBlank()),
  };
}

function smapsResult(parsed: ParsedSmaps, blank: boolean): ParseResult {
  const smaps = classifiedSmaps(parsed.regions);
  const facts: Facts = { ...totalsFacts(classTotals(smaps.regions, smaps.classes)), largest_resident: largestResident(smaps) };
  if (parsed.regions.length > 0 && parsed.sawRss) {
    return parsed.mappingsLeftOut > 0 ? { facts, warnings: parsed.warnings, error: tooManyMappings(parsed) } : { facts, warnings: parsed.warnings };
  }
  if (blank) return { facts, warnings: parsed.warnings, error: { code: 'empty', message: 'no input: expected the text of /proc/PID/smaps' } };
  const message =
    parsed.regions.length > 0
      ? 'mapping lines without "Rss: N kB" fields: this looks like /proc/PID/maps, not smaps'
      : 'no smaps entries found: expected a maps line ("55680bed6000-55680bef7000 rw-p 00000000 00:00 0   [heap]") followed by "Rss:   4 kB" lines';
  return { facts, warnings: parsed.warnings, error: { code: 'unrecognised-format', message } };
}

function largestResident(smaps: ClassifiedSmaps): Facts[] {
  const order = smaps.regions.map((_, i) => i).filter((i) => smaps.regions[i]!.rss_kb + smaps.regions[i]!.swap_kb > 0);
  order.sort((x, y) => smaps.regions[y]!.rss_kb + smaps.regions[y]!.swap_kb - (smaps.regions[x]!.rss_kb + smaps.regions[x]!.swap_kb));
  return order.slice(0, LARGEST_LIMIT).map((i) => {
    const r = smaps.regions[i]!;
    return { start: addressHex(r.start), end: addressHex(r.end), class: smaps.classes[i]!, path: r.path, size_kb: r.kb, rss_kb: r.rss_kb, anon_kb: r.anon_kb, swap_kb: r.swap_kb };
  });
}
