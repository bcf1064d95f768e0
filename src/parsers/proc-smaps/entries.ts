// /proc/PID/smaps → one region per mapping with its resident figures. Each entry is the
// maps line (proc(5)) followed by `Key:   N kB` lines; only Rss, Anonymous and Swap are kept
// (the rest is derivable or not needed to attribute memory). At vm.max_map_count (65,530
// mappings × ~25 lines, ~70 MB of text) the scan works on bytes and decodes only the
// distinct text fields of header lines: decoding the whole file to a string and splitting
// it cost more than the kernel's own generation of it (bench/smaps.bench.js). It is fed in
// chunks (any size): memory is the mappings kept, not the input.
import { ChunkLines, parseWhole } from '../chunk-lines.js';
import type { ParseError, ParseWarning, ParserInput } from '../types.js';
import { cutPathsWarning, scanMapsLine } from '../proc-maps/line-scan.js';
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
  /** Mappings past MAX_SMAPS_MAPPINGS (or past MAX_SMAPS_TEXT_BYTES of distinct text), not kept. */
  mappingsLeftOut: number;
  /** Whether the mappings were left out for their distinct text rather than their count. */
  textFull: boolean;
}

const MAX_WARNINGS = 50;
const DASH = 45;

/** The field each kept key fills; matched on bytes, first byte first. */
type Field = 'rss_kb' | 'anon_kb' | 'swap_kb';
const KEYS: { bytes: number[]; field: Field; name: string }[] = [
  { bytes: [...'Rss:'].map((c) => c.charCodeAt(0)), field: 'rss_kb', name: 'Rss' },
  { bytes: [...'Anonymous:'].map((c) => c.charCodeAt(0)), field: 'anon_kb', name: 'Anonymous' },
  { bytes: [...'Swap:'].map((c) => c.charCodeAt(0)), field: 'swap_kb', name: 'Swap' },
];

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

/** Far beyond a real line (PATH_MAX 4096, escaped ×4 at most): a longer one is cut and warned of. */
const MAX_LINE_BYTES = 2 ** 16;
/** Mappings kept (each ~300 bytes, see docs/parsers.md): 15 × the default vm.max_map_count. More is an error naming it. */
export const MAX_SMAPS_MAPPINGS = 1_000_000;
/** Distinct text of the kept mappings (paths, offsets, devs, inodes; each path at most
 *  MAX_MAPS_PATH_BYTES): 65,530 distinct 4 KiB paths take 270 MB. More is an error naming it. */
export const MAX_SMAPS_TEXT_BYTES = 512 * 2 ** 20;

/**
 * A /proc/PID/smaps text fed in chunks, line by line (ChunkLines: no decoded copy of the
 * input): memory is the regions kept, at most MAX_SMAPS_MAPPINGS, not the input.
 */
export class SmapsScan {
  private readonly lines: ChunkLines;
  private readonly regions: SmapsRegion[] = [];
  private readonly warnings: ParseWarning[] = [];
  private skipped = 0;
  // Header lines are read by the maps line scanner, into a table of their own.
  private readonly headers = new MapsTable(new TextPool(), true);
  private current: SmapsRegion | null = null;
  private sawRss = false;
  private lineNo = 0;
  private leftOut = 0;
  private textFull = false;

  /** `skipBom`: byte input starts after a UTF-8 BOM, as a TextDecoder reads it. */
  constructor(skipBom: boolean) {
    this.lines = new ChunkLines(MAX_LINE_BYTES, skipBom);
  }

  write(chunk: Uint8Array): void {
    this.lines.write(chunk, this.visit);
  }

  end(): ParsedSmaps {
    this.lines.end(this.visit);
    const warnings = this.warnings;
    if (this.skipped > 0) warnings.push({ message: `${this.skipped} more lines that could not be read` });
    if (this.headers.cutPaths > 0) warnings.push({ message: cutPathsWarning(this.headers.cutPaths) });
    return { regions: this.regions, warnings, sawRss: this.sawRss, mappingsLeftOut: this.leftOut, textFull: this.textFull };
  }

  private warn(line: number, message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ line, message });
    else this.skipped++;
  }

  private readonly visit = (bytes: Buffer, at: number, end: number, cut: boolean): void => {
    const lineNo = ++this.lineNo;
    if (cut) this.warn(lineNo, `line longer than ${MAX_LINE_BYTES / 1024} KiB: read up to there`);
    const to = end > at && bytes[end - 1] === 13 && !cut ? end - 1 : end;
    const key = to > at ? keyAt(bytes, at, to) : undefined;
    if (key !== undefined && this.current !== null) {
      const kb = sizeAfter(bytes, at + key.bytes.length, to);
      if (kb >= 0) this.current[key.field] = kb;
      else this.warn(lineNo, `${key.name} is not "N kB": ${JSON.stringify(bytes.toString('utf8', at, Math.min(to, at + 80)))}`);
      if (key.field === 'rss_kb') this.sawRss = true;
    } else if (to > at && isHeader(bytes, at, to)) {
      // A header interns at most its own bytes: checked first, the pool never passes the limit.
      if (this.headers.pool.bytesUsed + (to - at) > MAX_SMAPS_TEXT_BYTES) this.textFull = true;
      if (this.regions.length === MAX_SMAPS_MAPPINGS || this.textFull) {
        // The fields under it fill nothing.
        this.current = null;
        this.leftOut++;
        return;
      }
      this.current = scanMapsLine(bytes, at, to, this.headers) ? smapsRegion(this.headers.region(this.headers.count - 1)) : null;
      if (this.current !== null) this.regions.push(this.current);
      else this.warn(lineNo, `not a smaps header line: ${JSON.stringify(bytes.toString('utf8', at, to).slice(0, 80))}`);
    } else if (this.current === null && this.leftOut === 0 && bytes.toString('latin1', at, to).trim() !== '') {
      this.warn(lineNo, 'a field line before any mapping header');
    }
  };
}

/** The mappings of a whole input (text is encoded first). */
export function parseSmapsEntries(input: ParserInput): ParsedSmaps {
  return parseWhole(input, (skipBom) => new SmapsScan(skipBom));
}

// Spelled out: `{ ...region, rss_kb: 0, … }` was the parse's largest cost (1.3 s of CPU at
// 65,530 mappings, mostly GC) against ~40 ms for this literal.
function smapsRegion(r: MapRegion): SmapsRegion {
  return { start: r.start, end: r.end, kb: r.kb, perms: r.perms, offset: r.offset, dev: r.dev, inode: r.inode, path: r.path, kind: r.kind, rss_kb: 0, anon_kb: 0, swap_kb: 0 };
}

/** The error of a smaps input with more mappings, or more distinct text, than are kept. */
export function tooManyMappings(parsed: Pick<ParsedSmaps, 'mappingsLeftOut' | 'textFull'>): ParseError {
  const leftOut = `${parsed.mappingsLeftOut.toLocaleString('en-US')} after that were left out`;
  return {
    code: 'invalid',
    message: parsed.textFull
      ? `more than ${MAX_SMAPS_TEXT_BYTES / 2 ** 20} MiB of distinct paths, the most the smaps reader keeps: ${leftOut} (is this /proc/PID/smaps? a real process's paths take a few MB)`
      : `more than ${MAX_SMAPS_MAPPINGS.toLocaleString('en-US')} mappings, the most the smaps reader keeps: ${leftOut} (a real process has at most vm.max_map_count, 65,530 by default)`,
  };
}
