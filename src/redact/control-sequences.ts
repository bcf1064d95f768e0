// Strips terminal control sequences from command output so nothing written to the journal,
// artifacts or notes can move a cursor, retitle a window or write the clipboard (OSC 52)
// when it is later `cat`-ed or pasted. A state machine rather than a regex so a sequence
// split across chunks is still removed without holding any text back (only a lone \r waits
// one character to learn whether it starts a \r\n).

/** Any char the state machine must look at: C0 controls but \n and \t, DEL, C1 controls. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
const NEXT_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const ESC = 0x1b;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;
/** C1 forms of CSI, OSC/DCS/SOS/PM/APC, and ST. */
const C1_CSI = 0x9b;
const C1_STRINGS = new Set([0x90, 0x98, 0x9d, 0x9e, 0x9f]);
const C1_ST = 0x9c;
/**
 * An OSC/DCS/APC string with no terminator swallows everything after it; past this many
 * chars we give up on it and show output again. 1 MiB: larger than any OSC 52 clipboard
 * write a terminal accepts (xterm's default limit is 1 MiB of base64 too).
 */
export const MAX_CONTROL_STRING = 1 << 20;

type State =
  | 'ground'
  /** Saw \r: a following \n makes one newline, anything else a newline of its own. */
  | 'cr'
  | 'esc'
  /** ESC followed by intermediates (0x20–0x2f): waits for the final byte. */
  | 'esc-intermediate'
  | 'csi'
  /** Inside OSC/DCS/SOS/PM/APC: dropped up to BEL or ST. */
  | 'string'
  /** Saw ESC inside a string: `\` ends it (ST). */
  | 'string-esc';

export class ControlSequenceStripper {
  private state: State = 'ground';
  private stringLength = 0;

  push(text: string): string {
    if (this.state === 'ground' && !CONTROL.test(text)) return text;
    const parts: string[] = [];
    let runStart = 0;
    let i = 0;
    while (i < text.length) {
      if (this.state === 'ground') {
        // Jump to the next control char: coloured output has one every few dozen chars.
        NEXT_CONTROL.lastIndex = i;
        const next = NEXT_CONTROL.exec(text);
        if (next === null) break;
        parts.push(text.slice(runStart, next.index));
        this.enterFromGround(text.charCodeAt(next.index));
        i = runStart = next.index + 1;
        continue;
      }
      // Outside ground nothing is copied; a char the sequence rejects is looked at again.
      if (this.step(text.charCodeAt(i), parts)) i++;
      runStart = i;
    }
    if (this.state === 'ground') parts.push(text.slice(runStart));
    return parts.join('');
  }

  end(): string {
    const tail = this.state === 'cr' ? '\n' : '';
    this.state = 'ground';
    return tail;
  }

  private enterFromGround(c: number): void {
    if (c === 0x0d) this.state = 'cr';
    else if (c === ESC) this.state = 'esc';
    else if (c === C1_CSI) this.state = 'csi';
    else if (C1_STRINGS.has(c)) this.enterString();
    // Every other control char is simply dropped.
  }

  private enterString(): void {
    this.state = 'string';
    this.stringLength = 0;
  }

  /** One char outside ground: false when the char ended a malformed sequence and is text. */
  private step(c: number, out: string[]): boolean {
    switch (this.state) {
      case 'cr':
        this.state = 'ground';
        out.push('\n');
        return c === 0x0a;
      case 'esc':
        if (c === 0x5b) this.state = 'csi';
        else if (c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f) this.enterString();
        else if (c >= 0x20 && c <= 0x2f) this.state = 'esc-intermediate';
        else if (c >= 0x30 && c <= 0x7e) this.state = 'ground';
        else return this.abort();
        return true;
      case 'esc-intermediate':
        if (c >= 0x30 && c <= 0x7e) this.state = 'ground';
        else if (c < 0x20 || c > 0x2f) return this.abort();
        return true;
      case 'csi':
        // Parameters 0x30–0x3f, intermediates 0x20–0x2f, final 0x40–0x7e.
        if (c >= 0x40 && c <= 0x7e) this.state = 'ground';
        else if (c < 0x20 || c > 0x3f) return this.abort();
        return true;
      case 'string':
        if (c === BEL || c === C1_ST || c === CAN || c === SUB) this.state = 'ground';
        else if (c === ESC) this.state = 'string-esc';
        else if (++this.stringLength > MAX_CONTROL_STRING) this.state = 'ground';
        return true;
      case 'string-esc':
        // ESC \ is ST; any other char after ESC also ends the string (as xterm does).
        this.state = 'ground';
        return c === 0x5c;
      case 'ground':
        return false;
    }
  }

  /** A malformed sequence: what was seen is dropped, the current char goes back to ground. */
  private abort(): false {
    this.state = 'ground';
    return false;
  }
}

/** Strip control sequences from a whole text. */
export function stripControlSequences(text: string): string {
  const stripper = new ControlSequenceStripper();
  return stripper.push(text) + stripper.end();
}
