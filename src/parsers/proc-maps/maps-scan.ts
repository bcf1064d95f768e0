// A whole /proc/PID/maps text, fed in chunks, into a MapsTable and warnings: the input is
// never held or decoded (any size; memory is the table, ~60 bytes a mapping, and the distinct
// strings). Lines that are not maps lines are skipped with a warning naming them.
import { ChunkLines } from '../chunk-lines.js';
import type { ParseWarning } from '../types.js';
import { scanMapsLine } from './line-scan.js';
import { MapsTable } from './table.js';
import { TextPool } from './text-pool.js';
import { cutPathsWarning } from './line-scan.js';

const MAX_WARNINGS = 50;
/** Far beyond a real line (PATH_MAX 4096, escaped ×4 at most); a longer one is not a maps line. */
const MAX_LINE_BYTES = 2 ** 16;
/** A warning quotes the first 80 characters; 80 UTF-16 units come from at most 240 bytes. */
const QUOTED_CHARS = 80;
const QUOTED_BYTES = 4 * QUOTED_CHARS;

// ignoreBOM: a span is decoded as it stands (only the input's first bytes may be a BOM to skip).
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export interface ParsedMaps {
  table: MapsTable;
  warnings: ParseWarning[];
  /** Whether the input held anything but white space. */
  sawText: boolean;
}

export class MapsScan {
  private readonly lines: ChunkLines;
  /** The rows read so far. */
  readonly table: MapsTable;
  private readonly warnings: ParseWarning[] = [];
  private lineNo = 0;
  private skipped = 0;
  private sawText = false;
  /** The first line that starts below the mapping before it, or 0 (the kernel prints them in address order). */
  private firstUnorderedLine = 0;

  /**
   * `skipBom`: byte input starts after a UTF-8 BOM, as a TextDecoder reads it. `identity`:
   * keep each region's offset, dev and inode (the region list of the parser; a diff needs none).
   */
  constructor(skipBom: boolean, identity: boolean) {
    this.lines = new ChunkLines(MAX_LINE_BYTES, skipBom);
    this.table = new MapsTable(new TextPool(), identity);
  }

  /** The first line so far that starts below the mapping before it, or 0. */
  get unorderedLine(): number {
    return this.firstUnorderedLine;
  }

  write(chunk: Uint8Array): void {
    this.lines.write(chunk, this.visit);
  }

  end(): ParsedMaps {
    this.lines.end(this.visit);
    const warnings = this.warnings;
    if (this.skipped > MAX_WARNINGS) warnings.push({ message: `${this.skipped - MAX_WARNINGS} more lines that are not maps lines` });
    if (this.table.cutPaths > 0) warnings.push({ message: cutPathsWarning(this.table.cutPaths) });
    return { table: this.table, warnings, sawText: this.sawText };
  }

  private readonly visit = (bytes: Buffer, start: number, end: number, cut: boolean): void => {
    this.lineNo++;
    if (!cut && scanMapsLine(bytes, start, end, this.table)) {
      this.sawText = true;
      if (this.firstUnorderedLine === 0 && !this.table.inStartOrder()) this.firstUnorderedLine = this.lineNo;
      return;
    }
    if (!cut && isBlank(bytes, start, end)) return;
    this.sawText = true;
    this.skipped++;
    if (this.warnings.length < MAX_WARNINGS) {
      const quoted = decoder.decode(bytes.subarray(start, Math.min(end, start + QUOTED_BYTES))).slice(0, QUOTED_CHARS);
      this.warnings.push({ line: this.lineNo, message: `not a maps line: ${JSON.stringify(quoted)}` });
    }
  };
}

/** Whether the line is white space to String#trim (ASCII blanks, or Unicode ones such as U+00A0). */
function isBlank(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) return decoder.decode(bytes.subarray(from, to)).trim() === '';
    if (c !== 32 && (c < 9 || c > 13)) return false;
  }
  return true;
}
