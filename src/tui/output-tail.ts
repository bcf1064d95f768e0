// The live output of a running step, bounded: the last lines only, each cut to a fixed
// width, plus how many lines came before. Full output lives in the step's artifact file
// (the engine writes it); this never grows with the output (issue 6: a step printing
// 100 MB must not grow the tool's memory), and text is cut here, before it reaches <Text>.
import { TerminalLine } from './terminal-line.js';

export interface TailView {
  /** The last lines, oldest first, already cut to `maxLineChars`. */
  lines: string[];
  /** Complete lines that came before `lines` (shown as "… N earlier lines"). */
  earlier: number;
}

export interface OutputTailLimits {
  /** Lines kept (a frame shows at most this many). */
  maxLines: number;
  /** Characters kept per line; a line longer than this ends in "…". */
  maxLineChars: number;
}

export const DEFAULT_TAIL_LIMITS: OutputTailLimits = { maxLines: 50, maxLineChars: 400 };

export class OutputTail {
  private readonly kept: string[] = [];
  /** The unfinished last line, with \r, \b and ESC[K applied as it arrives (issue 16). */
  private readonly partial: TerminalLine;
  private total = 0;

  constructor(private readonly limits: OutputTailLimits = DEFAULT_TAIL_LIMITS) {
    this.partial = new TerminalLine(limits.maxLineChars + 1);
  }

  /** Adds a chunk of output; work is proportional to the chunk, memory to the limits. */
  append(text: string): void {
    let start = 0;
    let newline = text.indexOf('\n', start);
    if (newline === -1) {
      this.partial.write(text);
      return;
    }
    // Only the chunk's last maxLines complete lines can survive: count the rest, skip them.
    const ends: number[] = [];
    while (newline !== -1) {
      ends.push(newline);
      newline = text.indexOf('\n', newline + 1);
    }
    const firstKept = Math.max(0, ends.length - this.limits.maxLines);
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i]!;
      if (i >= firstKept) {
        this.partial.write(text.slice(start, end));
        this.push(this.partial.take(this.limits.maxLineChars));
      } else {
        if (i === 0) this.partial.take(0);
        this.total += 1;
      }
      start = end + 1;
    }
    this.partial.write(text.slice(start));
  }

  /** The lines to draw; the unfinished last line counts as a line. */
  view(maxLines: number = this.limits.maxLines): TailView {
    const unfinished = !this.partial.empty;
    const all = unfinished ? [...this.kept, this.partial.peek(this.limits.maxLineChars)] : this.kept;
    const shown = Math.max(0, Math.min(maxLines, all.length));
    const lines = all.slice(all.length - shown);
    const totalLines = this.total + (unfinished ? 1 : 0);
    return { lines, earlier: totalLines - lines.length };
  }

  private push(line: string): void {
    this.total += 1;
    this.kept.push(line);
    if (this.kept.length > this.limits.maxLines) this.kept.splice(0, this.kept.length - this.limits.maxLines);
  }
}
