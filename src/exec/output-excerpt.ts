// A bounded head and tail of a stream's text, plus byte and line counts, built as the
// text passes. Memory stays O(HEAD_LINES + TAIL_LINES) × MAX_LINE_CHARS whatever the
// step prints: one 300 MB line kept whole used 398 MB RSS (reliability.md).

/** What a step's output looks like in the journal: head and tail, bounded. */
export interface OutputExcerpt {
  /** First lines (bounded). */
  head: string;
  /** Last lines (bounded); empty when head covers everything. */
  tail: string;
  total_bytes: number;
  total_lines: number;
  truncated: boolean;
}

export const HEAD_LINES = 40;
export const TAIL_LINES = 60;
export const MAX_LINE_CHARS = 1000;
/** Appended to a line cut at MAX_LINE_CHARS. */
export const CUT_MARK = ' …';

export class ExcerptBuilder {
  private readonly head: string[] = [];
  private readonly tail: string[] = [];
  private line = '';
  private lineCut = false;
  private lines = 0;
  private dropped = false;

  /** Feeds decoded text. */
  push(text: string): void {
    let start = this.head.length < HEAD_LINES ? 0 : this.skipToLastLines(text, 0);
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) {
        this.appendToLine(text, start, text.length);
        return;
      }
      this.appendToLine(text, start, newline);
      this.finishLine('\n');
      start = newline + 1;
      if (this.head.length === HEAD_LINES && this.tail.length === 0) start = this.skipToLastLines(text, start);
    }
  }

  /**
   * Once the head is full, only the chunk's last TAIL_LINES complete lines can end up in
   * the tail: count the lines before them without building them (1 GB of short lines
   * is ~20 million lines). Returns where the lines worth building start.
   */
  private skipToLastLines(text: string, start: number): number {
    let keepFrom = text.length;
    for (let kept = 0; kept <= TAIL_LINES; kept += 1) {
      const newline = keepFrom === 0 ? -1 : text.lastIndexOf('\n', keepFrom - 1);
      if (newline < start) return start;
      keepFrom = newline;
    }
    keepFrom += 1; // just after the newline ending the last skipped line
    for (let at = text.indexOf('\n', start); at !== -1 && at < keepFrom; at = text.indexOf('\n', at + 1)) {
      this.lines += 1;
    }
    this.tail.length = 0;
    this.line = '';
    this.lineCut = false;
    this.dropped = true;
    return keepFrom;
  }

  /** The excerpt once the stream has ended; `totalBytes` is what reached the artifact. */
  result(totalBytes: number): OutputExcerpt {
    if (this.line !== '' || this.lineCut) this.finishLine('');
    return {
      head: this.head.join(''),
      tail: this.tail.join(''),
      total_bytes: totalBytes,
      total_lines: this.lines,
      truncated: this.dropped,
    };
  }

  private appendToLine(text: string, from: number, to: number): void {
    if (from === to) return;
    const room = MAX_LINE_CHARS - this.line.length;
    if (to - from > room) {
      this.line += text.slice(from, from + room);
      this.lineCut = true;
    } else {
      this.line += text.slice(from, to);
    }
  }

  private finishLine(terminator: string): void {
    const line = this.lineCut ? this.line + CUT_MARK + terminator : this.line + terminator;
    if (this.lineCut) this.dropped = true;
    this.lines += 1;
    this.line = '';
    this.lineCut = false;
    if (this.head.length < HEAD_LINES) {
      this.head.push(line);
      return;
    }
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) {
      this.tail.shift();
      this.dropped = true;
    }
  }
}
