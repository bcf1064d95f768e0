// Lines out of chunks of bytes, for the streaming parsers: complete lines are visited where
// they lie in the chunk (no copy, no decoded string); only the unfinished tail of a chunk is
// copied and carried into the next one. A line is cut at `maxLineBytes`, so input without
// newlines cannot grow the carry without bound. The separator is `\n` unless another byte is
// given (environ's NUL).
import type { ParserInput } from './types.js';
import { inputBytes } from './input.js';

/** Visits bytes[start, end) of one line (without its `\n`); `cut` when it was longer than the limit. */
export type LineVisitor = (bytes: Buffer, start: number, end: number, cut: boolean) => void;
/** Sees bytes[start, end) a cut dropped, before the line they belong to is visited. */
export type DroppedVisitor = (bytes: Uint8Array, start: number, end: number) => void;

const NEWLINE = 10;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export class ChunkLines {
  private carry: Buffer;
  private carried = 0;
  private carryCut = false;
  /** While the input may still start with a BOM, how many of its bytes came so far (a BOM
   *  can be split across chunks); null once known. */
  private bomSeen: number | null;

  constructor(
    private readonly maxLineBytes: number,
    /** Byte input starts after a UTF-8 BOM, as a TextDecoder reads it. */
    skipBom: boolean,
    private readonly separator: number = NEWLINE,
    /** For a reader whose state depends on the whole line (a raw string's backquotes). */
    private readonly dropped?: DroppedVisitor,
  ) {
    this.carry = Buffer.alloc(Math.min(maxLineBytes, 4096));
    this.bomSeen = skipBom ? 0 : null;
  }

  write(chunk: Uint8Array, visit: LineVisitor): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.bomSeen !== null) {
      pos = this.skipBom(bytes);
      if (this.bomSeen !== null) return; // all of it the start of a BOM
    }
    if (this.carried > 0 || this.carryCut) {
      const newline = bytes.indexOf(this.separator, pos);
      this.append(bytes, pos, newline === -1 ? bytes.length : newline);
      if (newline === -1) return;
      visit(this.carry, 0, this.carried, this.carryCut);
      this.carried = 0;
      this.carryCut = false;
      pos = newline + 1;
    }
    this.append(bytes, this.visitLines(bytes, pos, visit), bytes.length);
  }

  /**
   * Visits the complete lines from `pos`; where the unfinished tail starts. Its own method, so
   * the hot loop is compiled as a whole: compiled mid-loop (on-stack replacement) with code
   * after it that had not run yet, it was thrown away at the end of every chunk, at times
   * (138 deoptimisations in one 1,000,000-line parse, `node --trace-deopt`).
   */
  private visitLines(bytes: Buffer, pos: number, visit: LineVisitor): number {
    for (let newline = bytes.indexOf(this.separator, pos); newline !== -1; newline = bytes.indexOf(this.separator, pos)) {
      const cut = newline - pos > this.maxLineBytes;
      if (cut) this.dropped?.(bytes, pos + this.maxLineBytes, newline);
      visit(bytes, pos, cut ? pos + this.maxLineBytes : newline, cut);
      pos = newline + 1;
    }
    return pos;
  }

  /** The last line when the input does not end with a newline. */
  end(visit: LineVisitor): void {
    // Input that stopped inside a BOM's bytes: they were text.
    if (this.bomSeen !== null) this.append(UTF8_BOM, 0, this.bomSeen);
    this.bomSeen = null;
    if (this.carried > 0 || this.carryCut) visit(this.carry, 0, this.carried, this.carryCut);
    this.carried = 0;
    this.carryCut = false;
  }

  /** Where the text starts in `bytes`: after the rest of a BOM, or at 0 when the bytes
   *  taken for one so far were text (they are carried, before this chunk's). */
  private skipBom(bytes: Buffer): number {
    const before = this.bomSeen!;
    let seen = before;
    while (seen < UTF8_BOM.length && seen - before < bytes.length && bytes[seen - before] === UTF8_BOM[seen]) seen++;
    if (seen === UTF8_BOM.length) {
      this.bomSeen = null;
      return seen - before;
    }
    if (seen - before === bytes.length) {
      this.bomSeen = seen;
      return bytes.length;
    }
    this.bomSeen = null;
    this.append(UTF8_BOM, 0, before);
    return 0;
  }

  private append(bytes: Uint8Array, from: number, to: number): void {
    const room = this.maxLineBytes - this.carried;
    if (to - from > room) {
      this.carryCut = true;
      this.dropped?.(bytes, from + room, to);
      to = from + room;
    }
    if (to <= from) return;
    if (this.carried + (to - from) > this.carry.length) {
      const grown = Buffer.alloc(Math.min(this.maxLineBytes, Math.max(2 * this.carry.length, this.carried + (to - from))));
      grown.set(this.carry.subarray(0, this.carried));
      this.carry = grown;
    }
    this.carry.set(bytes.subarray(from, to), this.carried);
    this.carried += to - from;
  }
}

const encoder = new TextEncoder();

/** parse(input) of a streaming parser (or any reader fed chunks): the whole input as one chunk. Text is encoded first. */
export function parseWhole<T>(input: ParserInput, open: (skipBom: boolean) => { write(chunk: Uint8Array): void; end(): T }): T {
  const stream = open(typeof input !== 'string');
  stream.write(typeof input === 'string' ? encoder.encode(input) : input);
  return stream.end();
}

/** diff(before, after) of a streaming differ: each side fed whole as one chunk. A side given
 *  as text is encoded and read as it stands (no BOM skipped), as parseWhole reads text. */
export function diffWhole<T>(before: ParserInput, after: ParserInput, open: (skipBomBefore: boolean, skipBomAfter: boolean) => { before: { write(chunk: Uint8Array): void }; after: { write(chunk: Uint8Array): void }; end(): T }): T {
  const stream = open(typeof before !== 'string', typeof after !== 'string');
  stream.before.write(inputBytes(before));
  stream.after.write(inputBytes(after));
  return stream.end();
}
