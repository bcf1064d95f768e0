// One line of output as a terminal would show it: `\r` moves back to the start and what
// follows overwrites, `\b` moves back one column, `ESC[K` erases to the end (`ESC[1K` to
// the start, `ESC[2K` all of it); other escape sequences and control characters draw
// nothing. A progress bar (`progress 10%\rprogress 20%…`) is therefore its last state.
// Columns past `maxColumns` are dropped as they are written, so an endless line (no
// newline for megabytes, or a bar redrawn a million times) stays bounded.

const SPECIAL = /[\r\b\u001b\u0000-\u0008\u000b-\u001f\u007f]/;
/** A CSI sequence (ESC [ params final) or a two-character escape. */
const ESCAPE = /^\u001b(?:\[([0-9;?]*)[ -/]*([@-~])|[^[])/;
/** An escape sequence cut by a chunk boundary is held until the next chunk, up to this. */
const MAX_PENDING = 32;

export class TerminalLine {
  private text = '';
  private cursor = 0;
  private pending = '';

  constructor(private readonly maxColumns: number) {}

  get empty(): boolean {
    return this.text === '' && this.pending === '';
  }

  write(chunk: string): void {
    let rest = this.pending + chunk;
    this.pending = '';
    while (rest !== '') {
      const at = rest.search(SPECIAL);
      if (at === -1) {
        this.put(rest);
        return;
      }
      if (at > 0) this.put(rest.slice(0, at));
      const char = rest[at]!;
      rest = rest.slice(at + 1);
      if (char === '\r') this.cursor = 0;
      else if (char === '\b') this.cursor = Math.max(0, this.cursor - 1);
      else if (char === '\t') this.put('  ');
      else if (char === '\u001b') {
        const sequence = ESCAPE.exec(`\u001b${rest}`);
        if (sequence === null) {
          // Unfinished at the chunk's end: wait for the rest; a stray ESC draws nothing.
          if (rest.length < MAX_PENDING && /^(\[[0-9;?]*[ -/]*)?$/.test(rest)) this.pending = `\u001b${rest}`;
          else continue;
          return;
        }
        rest = rest.slice(sequence[0].length - 1);
        if (sequence[2] === 'K') this.erase(sequence[1] ?? '');
      }
    }
  }

  /** The line as shown, `…` at the end when it was longer than `maxChars`; then empties it. */
  take(maxChars: number): string {
    const shown = this.peek(maxChars);
    this.text = '';
    this.cursor = 0;
    this.pending = '';
    return shown;
  }

  peek(maxChars: number): string {
    return this.text.length > maxChars ? `${this.text.slice(0, maxChars - 1)}…` : this.text;
  }

  private put(chars: string): void {
    if (this.cursor >= this.maxColumns) return;
    const written = chars.slice(0, this.maxColumns - this.cursor);
    const before = this.text.length < this.cursor ? this.text.padEnd(this.cursor) : this.text.slice(0, this.cursor);
    this.text = before + written + this.text.slice(this.cursor + written.length);
    this.cursor += written.length;
  }

  private erase(mode: string): void {
    if (mode === '' || mode === '0') this.text = this.text.slice(0, this.cursor);
    else if (mode === '1') this.text = ' '.repeat(Math.min(this.cursor, this.text.length)) + this.text.slice(this.cursor);
    else if (mode === '2') this.text = '';
  }
}
