// The live output of a running step, bounded: the last lines only, each cut to a fixed
// width, plus how many lines came before. Full output lives in the step's artifact file
// (the engine writes it); this never grows with the output (issue 6: a step printing
// 100 MB must not grow the tool's memory), and text is cut here, before it reaches <Text>.

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

// C0 controls (except tab, which becomes spaces) and DEL would move Ink's cursor or
// change colours mid-frame; the redactor already drops escape sequences, this catches
// what is left (a bare \r from a progress bar, a bell).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

function clean(line: string, maxChars: number): string {
  const cut = line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
  return cut.replace(/\t/g, '  ').replace(CONTROL, '');
}

export class OutputTail {
  private readonly kept: string[] = [];
  private partial = '';
  private total = 0;

  constructor(private readonly limits: OutputTailLimits = DEFAULT_TAIL_LIMITS) {}

  /** Adds a chunk of output; work is proportional to the chunk, memory to the limits. */
  append(text: string): void {
    let start = 0;
    let newline = text.indexOf('\n', start);
    if (newline === -1) {
      this.partial = this.bounded(this.partial + text);
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
        const piece = i === 0 ? this.partial + text.slice(start, end) : text.slice(start, end);
        this.push(piece);
      } else {
        this.total += 1;
      }
      start = end + 1;
    }
    this.partial = this.bounded(text.slice(start));
  }

  /** The lines to draw; the unfinished last line counts as a line. */
  view(maxLines: number = this.limits.maxLines): TailView {
    const all = this.partial === '' ? this.kept : [...this.kept, clean(this.partial, this.limits.maxLineChars)];
    const shown = Math.max(0, Math.min(maxLines, all.length));
    const lines = all.slice(all.length - shown);
    const totalLines = this.total + (this.partial === '' ? 0 : 1);
    return { lines, earlier: totalLines - lines.length };
  }

  private push(line: string): void {
    this.total += 1;
    // A progress bar redraws its line after \r: what a terminal would show is the last part.
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    const shown = trimmed.slice(trimmed.lastIndexOf('\r') + 1);
    this.kept.push(clean(shown, this.limits.maxLineChars));
    if (this.kept.length > this.limits.maxLines) this.kept.splice(0, this.kept.length - this.limits.maxLines);
  }

  /** An endless line (no newline for megabytes) keeps only what can be shown of it. */
  private bounded(partial: string): string {
    return partial.length > this.limits.maxLineChars + 1 ? partial.slice(0, this.limits.maxLineChars + 1) : partial;
  }
}
