// Whether an input read in chunks is empty or only whitespace, as `text.trim() === ''` says
// of its decoded text (JavaScript's whitespace: ASCII and Unicode spaces, line separators,
// the BOM). Decodes only until the first other character, so a log costs one small decode.
const DECODE_STEP = 64;
const NOT_WHITESPACE = /\S/;

export class BlankInput {
  private blank = true;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  feed(chunk: Uint8Array): void {
    for (let at = 0; this.blank && at < chunk.length; at += DECODE_STEP) {
      if (NOT_WHITESPACE.test(this.decoder.decode(chunk.subarray(at, at + DECODE_STEP), { stream: true }))) this.blank = false;
    }
  }

  isBlank(): boolean {
    if (this.blank && NOT_WHITESPACE.test(this.decoder.decode())) this.blank = false;
    return this.blank;
  }
}
