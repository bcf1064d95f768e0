// Distinct strings out of byte spans: a maps file repeats a few pathnames (libraries, `[heap]`)
// and field values across thousands of lines, so a line costs a hash and a byte comparison,
// and each distinct value is decoded once, when first read (a diff reads few of its paths:
// bench/maps.bench.js, docs/parsers.md § Bench).
// ignoreBOM: a span is decoded as it stands (only the input's first bytes may be a BOM to skip).
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

const INITIAL_SLOTS = 1024;
/** The most bytes of distinct values a pool holds: its offsets are 32-bit (Int32Array), so a
 *  value past it is read as '' rather than wrapping them. A reader that may meet more checks
 *  bytesUsed first and stops with an error naming its own, lower limit (proc-smaps). */
export const MAX_POOL_BYTES = 2 ** 30;

export class TextPool {
  /** How many distinct values; id 0 is ''. */
  private count = 1;
  /** Decoded values by id, filled as they are read. */
  private readonly texts: (string | undefined)[] = [''];
  /** Each distinct value's bytes (the input buffer is reused). */
  private bytes: Buffer = Buffer.alloc(4096);
  private used = 0;
  private from: Int32Array = new Int32Array(64);
  private to: Int32Array = new Int32Array(64);
  /** Open addressing: id + 1 per slot, 0 when empty. */
  private slots = new Int32Array(INITIAL_SLOTS);
  private hashes: Int32Array = new Int32Array(64);

  /** The id of text[from, to). */
  intern(text: Buffer, from: number, to: number): number {
    if (to <= from) return 0;
    let hash = 0x811c9dc5;
    for (let i = from; i < to; i++) hash = Math.imul(hash ^ text[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]! - 1;
      if (id < 0) {
        const added = this.add(text, from, to, hash);
        if (added === 0) return 0;
        this.slots[slot] = added + 1;
        if (2 * this.count > this.slots.length) this.rehash();
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

  /** The value of an id as UTF-8 (invalid sequences become U+FFFD, as TextDecoder reads them). */
  text(id: number): string {
    let text = this.texts[id];
    if (text === undefined) {
      const from = this.from[id]!;
      const to = this.to[id]!;
      let ascii = true;
      for (let i = from; i < to && ascii; i++) ascii = this.bytes[i]! < 0x80;
      text = ascii ? this.bytes.toString('latin1', from, to) : decoder.decode(this.bytes.subarray(from, to));
      this.texts[id] = text;
    }
    return text;
  }

  /** The id of a string (regions built from decoded text). */
  internText(text: string): number {
    const bytes = Buffer.from(text, 'utf8');
    return this.intern(bytes, 0, bytes.length);
  }

  /** Forgets every value, keeping the space (a table reuses two pools in turn: table.ts dropFirst). */
  clear(): void {
    this.count = 1;
    this.texts.length = 1;
    this.used = 0;
    this.slots.fill(0);
  }

  /** How many distinct values, '' included. */
  get size(): number {
    return this.count;
  }

  /** The id, in `pool`, of the value of `id` here. */
  copyTo(id: number, pool: TextPool): number {
    return pool.intern(this.bytes, this.from[id]!, this.to[id]!);
  }

  /** Bytes of the distinct values held. */
  get bytesUsed(): number {
    return this.used;
  }

  private add(text: Buffer, from: number, to: number, hash: number): number {
    const length = to - from;
    if (this.used + length > MAX_POOL_BYTES) return 0;
    const id = this.count++;
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
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 1; id < this.count; id++) {
      let slot = this.hashes[id]! & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = id + 1;
    }
  }
}

function grownBytes(bytes: Buffer, least: number): Buffer {
  // Unzeroed: only bytes[0, used) are ever read, and zeroing was ~3 % of `runbook diff maps`.
  const grown = Buffer.allocUnsafeSlow(Math.max(2 * bytes.length, least));
  grown.set(bytes);
  return grown;
}

function grownInts(ints: Int32Array): Int32Array {
  const grown = new Int32Array(2 * ints.length);
  grown.set(ints);
  return grown;
}
