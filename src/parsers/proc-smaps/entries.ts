// /proc/PID/smaps → one region per mapping with its resident figures. Each entry is the
// maps line (proc(5)) followed by `Key:   N kB` lines; only Rss, Anonymous and Swap are kept
// (the rest is derivable or not needed to attribute memory). At vm.max_map_count (65,530
// mappings × ~25 lines, ~70 MB of text) the scan works on bytes and decodes only the
// distinct text fields of header lines: decoding the whole file to a string and splitting
// it cost more than the kernel's own generation of it (bench/smaps.bench.js).
import type { ParseWarning, ParserInput } from '../types.js';
import { scanMapsLine } from '../proc-maps/line-scan.js';
import type { MapRegion } from '../proc-maps/region.js';
import { MapsTable } from '../proc-maps/table.js';
import { TextPool } from '../proc-maps/text-pool.js';

export interface SmapsRegion extends MapRegion {
  /** Resident pages of the mapping, file-backed or anonymous. */
  rss_kb: number;
  /** Resident anonymous pages (private memory the process itself wrote). */
  anon_kb: number;
  /** Anonymous pages swapped out: still the process's memory. */
  swap_kb: number;
}

export interface ParsedSmaps {
  regions: SmapsRegion[];
  warnings: ParseWarning[];
  /** Whether any `Rss:` line was seen (a maps file handed to this parser has none). */
  sawRss: boolean;
}

const MAX_WARNINGS = 50;
const NEWLINE = 10;
const DASH = 45;

/** The field each kept key fills; matched on bytes, first byte first. */
type Field = 'rss_kb' | 'anon_kb' | 'swap_kb';
const KEYS: { bytes: number[]; field: Field; name: string }[] = [
  { bytes: [...'Rss:'].map((c) => c.charCodeAt(0)), field: 'rss_kb', name: 'Rss' },
  { bytes: [...'Anonymous:'].map((c) => c.charCodeAt(0)), field: 'anon_kb', name: 'Anonymous' },
  { bytes: [...'Swap:'].map((c) => c.charCodeAt(0)), field: 'swap_kb', name: 'Swap' },
];

/** Always a plain Uint8Array (never a Buffer subclass), so the scan loops stay monomorphic. */
function asBytes(input: ParserInput): Uint8Array {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function isHexByte(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** A header starts with hex digits and a dash; field keys (Anonymous, FilePmdMapped) do not. */
function isHeader(bytes: Uint8Array, from: number, to: number): boolean {
  let i = from;
  while (i < to && isHexByte(bytes[i]!)) i++;
  return i > from && i < to && bytes[i] === DASH;
}

/** The kept key this line starts with, or undefined (most lines: Pss, Shared_Clean, …). */
function keyAt(bytes: Uint8Array, at: number, to: number): (typeof KEYS)[number] | undefined {
  // Rss, Anonymous and Swap start with R, A and S; one comparison rejects most lines.
  const first = bytes[at];
  const key = first === 82 ? KEYS[0] : first === 65 ? KEYS[1] : first === 83 ? KEYS[2] : undefined;
  if (key === undefined || to - at < key.bytes.length) return undefined;
  for (let k = 1; k < key.bytes.length; k++) if (bytes[at + k] !== key.bytes[k]) return undefined;
  return key;
}

/** The decimal after the key and its blanks, or -1 when it is not `N kB`. */
function sizeAfter(bytes: Uint8Array, at: number, to: number): number {
  let i = at;
  while (i < to && (bytes[i] === 32 || bytes[i] === 9)) i++;
  let value = 0;
  const digitsAt = i;
  while (i < to && bytes[i]! >= 48 && bytes[i]! <= 57) value = value * 10 + (bytes[i++]! - 48);
  if (i === digitsAt || i - digitsAt > 15) return -1;
  return i + 3 === to && bytes[i] === 32 && bytes[i + 1] === 107 && bytes[i + 2] === 66 ? value : -1;
}

export function parseSmapsEntries(input: ParserInput): ParsedSmaps {
  const bytes = asBytes(input);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const regions: SmapsRegion[] = [];
  const warnings: ParseWarning[] = [];
  let skipped = 0;
  const warn = (line: number, message: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push({ line, message });
    else skipped++;
  };
  // Header lines are read by the maps line scanner, into a table of their own.
  const headers = new MapsTable(new TextPool(), true);
  let current: SmapsRegion | null = null;
  let sawRss = false;
  let lineNo = 0;
  let at = 0;
  const length = bytes.length;
  while (at < length) {
    // Plain loops over a Uint8Array: Buffer methods per line (1.6 M lines at 65,530
    // mappings) cost several times more (bench/smaps.bench.js).
    let end = at;
    while (end < length && bytes[end] !== NEWLINE) end++;
    lineNo++;
    const to = end > at && bytes[end - 1] === 13 ? end - 1 : end;
    const key = to > at ? keyAt(bytes, at, to) : undefined;
    if (key !== undefined && current !== null) {
      const kb = sizeAfter(bytes, at + key.bytes.length, to);
      if (kb >= 0) current[key.field] = kb;
      else warn(lineNo, `${key.name} is not "N kB": ${JSON.stringify(text.toString('utf8', at, Math.min(to, at + 80)))}`);
      if (key.field === 'rss_kb') sawRss = true;
    } else if (to > at && isHeader(bytes, at, to)) {
      current = scanMapsLine(text, at, to, headers) ? smapsRegion(headers.region(headers.count - 1)) : null;
      if (current !== null) regions.push(current);
      else warn(lineNo, `not a smaps header line: ${JSON.stringify(text.toString('utf8', at, to).slice(0, 80))}`);
    } else if (current === null && text.toString('latin1', at, to).trim() !== '') {
      warn(lineNo, 'a field line before any mapping header');
    }
    at = end + 1;
  }
  if (skipped > 0) warnings.push({ message: `${skipped} more lines that could not be read` });
  return { regions, warnings, sawRss };
}

// Spelled out: `{ ...region, rss_kb: 0, … }` was the parse's largest cost (1.3 s of CPU at
// 65,530 mappings, mostly GC) against ~40 ms for this literal.
function smapsRegion(r: MapRegion): SmapsRegion {
  return { start: r.start, end: r.end, kb: r.kb, perms: r.perms, offset: r.offset, dev: r.dev, inode: r.inode, path: r.path, kind: r.kind, rss_kb: 0, anon_kb: 0, swap_kb: 0 };
}
