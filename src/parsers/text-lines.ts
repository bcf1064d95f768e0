// Decoded lines out of chunks, for streaming parsers that read text rather than bytes: the
// lines `text.split('\n')` gives of the whole decoded input, the last one included (empty when
// the input ends with a newline), so a parser fed these gives what it gave reading the whole
// text. Built on ChunkLines: lines longer than `maxLineBytes` are cut there and flagged.
import { ChunkLines, type DroppedVisitor } from './chunk-lines.js';

/** One line without its `\n` (a `\r` before it is kept); `ended`: a `\n` followed it. */
export type TextLineVisitor = (line: string, number: number, cut: boolean, ended: boolean) => void;

export class TextLines {
  private readonly lines: ChunkLines;
  private number = 0;
  private ended = true;

  /** `dropped`: sees the bytes a cut leaves out, before their line. */
  constructor(maxLineBytes: number, skipBom: boolean, private readonly visit: TextLineVisitor, dropped?: DroppedVisitor) {
    this.lines = new ChunkLines(maxLineBytes, skipBom, undefined, dropped);
  }

  write(chunk: Uint8Array): void {
    this.lines.write(chunk, this.visitBytes);
  }

  end(): void {
    this.ended = false;
    let last = false;
    this.lines.end((bytes, start, end, cut) => {
      last = true;
      this.visitBytes(bytes, start, end, cut);
    });
    // Empty input, or a final newline: split('\n') ends with an empty line.
    if (!last) this.visit('', ++this.number, false, false);
  }

  // Buffer#toString replaces invalid UTF-8 as TextDecoder does, and `\n` never continues a
  // sequence, so line by line decodes as the whole does.
  private readonly visitBytes = (bytes: Buffer, start: number, end: number, cut: boolean): void => {
    this.visit(bytes.toString('utf8', start, end), ++this.number, cut, this.ended);
  };
}

/** The line as `split(/\r?\n/)` gives it: a `\r` before its newline is not part of it. */
export function withoutCr(line: string, ended: boolean): string {
  return ended && line.endsWith('\r') ? line.slice(0, -1) : line;
}
