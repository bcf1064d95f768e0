// Allocation rate by site between two Go heap profiles. A heap profile's alloc_space and
// alloc_objects are cumulative since the process started (scaled estimates of a 512 KiB
// sampling), so AFTER − BEFORE is what was allocated in between; each profile's
// time_nanos gives the interval. A site is the leaf frame's function and file:line (the
// line that allocated, inlined frames included): what the compiler's escape analysis
// reports on, so the two can be joined by file:line.
// The runtime publishes these counts when a GC cycle ends, so between two profiles taken
// with no GC in between they do not move (domain.md: "the heap profile is as of the last GC").
import type { FactValue, Facts, ParseWarning } from '../types.js';
import type { DecodedProfile } from './decode.js';

export interface AllocationFacts {
  facts: Facts;
  warnings: ParseWarning[];
}

interface SiteTotals {
  function: string;
  file: string;
  line: number;
  bytes: number;
  objects: number;
}

const ALLOC_SPACE = 'alloc_space';
const ALLOC_OBJECTS = 'alloc_objects';

/** Alloc facts, or null when either profile lacks alloc_space/alloc_objects (not a Go heap profile). */
export function allocationFacts(before: DecodedProfile, after: DecodedProfile, top: number): AllocationFacts | null {
  const indexes = (p: DecodedProfile): [number, number] | null => {
    const space = p.sampleTypes.findIndex((t) => t.type === ALLOC_SPACE);
    const objects = p.sampleTypes.findIndex((t) => t.type === ALLOC_OBJECTS);
    return space < 0 || objects < 0 ? null : [space, objects];
  };
  const a = indexes(before);
  const b = indexes(after);
  if (!a || !b) return null;
  const warnings: ParseWarning[] = [];

  const sites = new Map<string, SiteTotals>();
  const add = (profile: DecodedProfile, [space, objects]: [number, number], sign: 1 | -1): void => {
    for (const sample of profile.samples) {
      const leaf = profile.locations[sample.stack[0] ?? -1];
      if (!leaf) continue;
      const fn = profile.functionNames[leaf.functions[0]!] ?? '';
      const pos = leaf.lines[0] ?? { file: '', line: 0 };
      const key = `${fn}\u0000${pos.file}\u0000${pos.line}`;
      let site = sites.get(key);
      if (!site) {
        site = { function: fn, file: pos.file, line: pos.line, bytes: 0, objects: 0 };
        sites.set(key, site);
      }
      site.bytes += sign * (sample.values[space] ?? 0);
      site.objects += sign * (sample.values[objects] ?? 0);
    }
  };
  add(before, a, -1);
  add(after, b, 1);

  let bytes = 0;
  let objects = 0;
  for (const site of sites.values()) {
    bytes += site.bytes;
    objects += site.objects;
  }
  const intervalS = intervalSeconds(before.timeNanos, after.timeNanos);
  if (intervalS === null) warnings.push({ message: 'the profiles carry no increasing time_nanos: allocation rates per second are left out' });
  if (bytes < 0) warnings.push({ message: 'alloc_space fell between the profiles: they come from different processes (a restart?)' });
  else if (bytes === 0) {
    warnings.push({ message: 'alloc_space did not move: no GC cycle ended between the two profiles (their counts are published at GC); take them further apart' });
  }
  const perSecond = (value: number): FactValue => (intervalS === null ? null : round(value / intervalS, 1));

  const growing = [...sites.values()].filter((s) => s.bytes > 0).sort((x, y) => y.bytes - x.bytes || y.objects - x.objects);
  const shown = top === 0 ? growing : growing.slice(0, top);
  const share = (value: number, total = bytes): number => (total > 0 ? round((value / total) * 100, 1) : 0);
  const rows = shown.map((s) => ({
    function: s.function,
    file: s.file,
    line: s.line,
    site: s.line > 0 ? `${s.file}:${s.line}` : s.file,
    bytes: s.bytes,
    objects: s.objects,
    bytes_per_s: perSecond(s.bytes),
    objects_per_s: perSecond(s.objects),
    share_pct: share(s.bytes),
    // Many small objects cost malloc and GC work out of proportion to their bytes.
    objects_share_pct: share(s.objects, objects),
  }));
  return {
    warnings,
    facts: {
      alloc_interval_s: intervalS === null ? null : round(intervalS, 3),
      alloc_bytes_delta: bytes,
      alloc_objects_delta: objects,
      alloc_bytes_per_s: perSecond(bytes),
      alloc_objects_per_s: perSecond(objects),
      alloc_site_count: growing.length,
      alloc_sites: rows,
      alloc_top_site_share_pct: rows.length > 0 ? rows[0]!.share_pct : 0,
      alloc_top3_share_pct: share(shown.slice(0, 3).reduce((sum, s) => sum + s.bytes, 0)),
      alloc_sites_text: rows.length > 0 ? rows.slice(0, 5).map(siteText).join('\n') : `- none: ${noSitesBecause(bytes)}`,
    },
  };
}

/** `- leaky/main.go:248 main.baseline.func1: 19.3 % of the bytes, 25.1 % of the objects allocated (8.1 MiB/s, 8288 objects/s)`, a list item for conclusions. */
function siteText(row: { site: string; function: string; share_pct: number; objects_share_pct: number; bytes_per_s: FactValue; objects_per_s: FactValue }): string {
  const rates = typeof row.bytes_per_s === 'number' && typeof row.objects_per_s === 'number' ? ` (${(row.bytes_per_s / 1048576).toFixed(1)} MiB/s, ${Math.round(row.objects_per_s)} objects/s)` : '';
  return `- ${row.site} ${row.function}: ${row.share_pct} % of the bytes, ${row.objects_share_pct} % of the objects allocated${rates}`;
}

/** Why no site grew, for a conclusion that would otherwise list nothing. */
function noSitesBecause(bytes: number): string {
  return bytes < 0
    ? 'alloc_space fell between the two heap profiles, so they come from different processes (a restart?)'
    : 'alloc_space did not move between the two heap profiles: the runtime publishes it when a GC cycle ends, and none ended in between';
}

/** Seconds between two Unix-ns strings (beyond 2^53, so through BigInt); null unless positive. */
function intervalSeconds(beforeNs: string, afterNs: string): number | null {
  if (!/^-?\d+$/.test(beforeNs) || !/^-?\d+$/.test(afterNs)) return null;
  const gap = BigInt(afterNs) - BigInt(beforeNs);
  if (gap <= 0n || BigInt(beforeNs) <= 0n) return null;
  return Number(gap) / 1e9;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
