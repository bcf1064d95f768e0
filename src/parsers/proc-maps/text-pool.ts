// Distinct strings out of byte spans: a maps file repeats a few pathnames (libraries, `[heap]`)
// and field values across thousands of lines, so each distinct value is decoded once and a line
// costs a hash and a byte comparison, not a string (bench/maps.bench.js, docs/parsers.md § Bench).
const decoder = new TextDecoder('utf-8', { fatal: false });

const INITIAL_SLOTS = 1024;

export class TextPool {
  /** The strings, by id; id 0 is ''. */
  readonly texts: string[] = [''];
  /** Each distinct value's bytes, kept to confirm a hash hit (the input buffer is reused). */
  private bytes: Uint8Array = new Uint8Array(4096);
  private used = 0;
  private from: Int32Array = new Int32Array(64);
  private to: Int32Array = new Int32Array(64);
  /** Open addressing: id + 1 per slot, 0 when empty. */
  private slots = new Int32Array(INITIAL_SLOTS);
  private hashes: Int32Array = new Int32Array(64);

  /** The id of text[from, to) as UTF-8 (invalid sequences become U+FFFD, as TextDecoder reads them). */
  intern(text: Buffer, from: number, to: number): number {
    if (to <= from) return 0;
    let hash = 0x811c9dc5;
    let ascii = true;
    for (let i = from; i < to; i++) {
      const c = text[i]!;
      if (c >= 0x80) ascii = false;
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]! - 1;
      if (id < 0) {
        const added = this.add(text, from, to, hash, ascii);
        this.slots[slot] = added + 1;
        if (2 * this.texts.length > this.slots.length) this.rehash();
        return added;
      }
      if (this.hashes[id] === hash && this.sameBytes(id, text, from, to)) return id;
    }
  }

  private sameBytes(id: number, text: Buffer, from: number, to: number): boolean {
    const at = this.from[id]!;
    if (this.to[id]! - at !== to - from) return false;
    for (let k = 0; k < to - from; k++) if (this.bytes[at + k] !== text[from + k]) return false;
    return true;
  }

  private add(text: Buffer, from: number, to: number, hash: number, ascii: boolean): number {
    const id = this.texts.length;
    const length = to - from;
    if (this.used + length > this.bytes.length) this.bytes = grownBytes(this.bytes, this.used + length);
    for (let k = 0; k < length; k++) this.bytes[this.used + k] = text[from + k]!;
    if (id >= this.from.length) {
      this.from = grownInts(this.from);
      this.to = grownInts(this.to);
      this.hashes = grownInts(this.hashes);
    }
    this.from[id] = this.used;
    this.to[id] = this.used + length;
    this.hashes[id] = hash;
    this.used += length;
    this.texts.push(ascii ? text.toString('latin1', from, to) : decoder.decode(text.subarray(from, to)));
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 1; id < this.texts.length; id++) {
      let slot = this.hashes[id]! & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = id + 1;
    }
  }
}

function grownBytes(bytes: Uint8Array, least: number): Uint8Array {
  const grown = new Uint8Array(Math.max(2 * bytes.length, least));
  grown.set(bytes);
  return grown;
}

function grownInts(ints: Int32Array): Int32Array {
  const grown = new Int32Array(2 * ints.length);
  grown.set(ints);
  return grown;
}
