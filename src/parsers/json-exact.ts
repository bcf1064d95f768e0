// The project's JSON reader: it keeps integers beyond 2^53 exact. JSON.parse rounds them
// (expvar's LastGC and PauseEnd are Unix ns ≈ 1.8e18), and Node 20's reviver has no access
// to the source text, so integers that are not safe come back as ExactInteger (decimal
// string). Text with no run of 16 digits holds no such integer and is read by JSON.parse,
// three times faster. Total: malformed input returns undefined instead of throwing.

export class ExactInteger {
  constructor(readonly digits: string) {}
}

export type ExactJson = null | boolean | number | string | ExactInteger | ExactJson[] | { [key: string]: ExactJson };

export const maxJsonDepth = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const STRING = /"((?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*)"/y;
const WHITESPACE = /[ \t\n\r]*/y;

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  skip(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  value(depth: number): ExactJson | undefined {
    if (depth > maxJsonDepth) return undefined;
    this.skip();
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) return undefined;
    this.pos = NUMBER.lastIndex;
    const n = Number(m[0]);
    if (m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(n)) return new ExactInteger(m[0]);
    return n;
  }

  string(): string | undefined {
    STRING.lastIndex = this.pos;
    const m = STRING.exec(this.text);
    if (!m) return undefined;
    this.pos = STRING.lastIndex;
    return m[1]!.includes('\\') ? (JSON.parse(m[0]) as string) : m[1]!;
  }

  array(depth: number): ExactJson[] | undefined {
    this.pos++;
    const out: ExactJson[] = [];
    this.skip();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      const v = this.value(depth + 1);
      if (v === undefined) return undefined;
      out.push(v);
      this.skip();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') return undefined;
    }
  }

  object(depth: number): { [key: string]: ExactJson } | undefined {
    this.pos++;
    const out: { [key: string]: ExactJson } = {};
    this.skip();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skip();
      const key = this.string();
      if (key === undefined) return undefined;
      this.skip();
      if (this.text[this.pos++] !== ':') return undefined;
      const v = this.value(depth + 1);
      if (v === undefined) return undefined;
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      this.skip();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') return undefined;
    }
  }
}

/** False when no integer in the text can be beyond 2^53: the smallest, 2^53 + 1, has 16 digits. */
export function mayHoldUnsafeIntegers(text: string): boolean {
  return /\d{16}/.test(text);
}

/** Parse a whole JSON document; undefined when it is not valid JSON or nests more than
 *  maxJsonDepth levels (readers of the result recurse). */
export function parseExactJson(text: string): ExactJson | undefined {
  if (!mayHoldUnsafeIntegers(text)) {
    try {
      const value = JSON.parse(text) as ExactJson;
      return nestsDeeperThan(value, maxJsonDepth) ? undefined : value;
    } catch {
      return undefined;
    }
  }
  const reader = new Reader(text);
  const v = reader.value(0);
  reader.skip();
  return v !== undefined && reader.pos === text.length ? v : undefined;
}

/** Without recursion: the value may be nested as deeply as the text allows. */
function nestsDeeperThan(root: ExactJson, max: number): boolean {
  const pending: [ExactJson, number][] = [[root, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, depth] = next;
    if (value === null || typeof value !== 'object' || value instanceof ExactInteger) continue;
    if (depth >= max) return true;
    for (const item of Array.isArray(value) ? value : Object.values(value)) pending.push([item, depth + 1]);
  }
  return false;
}
