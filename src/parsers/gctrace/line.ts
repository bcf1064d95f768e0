// One gctrace line (Go ≥ 1.6 format, see docs/parsers.md):
//   gc 14 @3.412s 2%: 0.030+1.2+0.004 ms clock, 0.060+0.25/0.81/0.30+0.008 ms cpu,
//   4->4->1 MB, 5 MB goal[, 0 MB stacks, 0 MB globals], 2 P[ (forced)]
// Matched wherever `gc N @` starts in a line, so log prefixes and interleaved output pass.

export interface GcCycle {
  n: number;
  at_s: number;
  cpu_percent: number;
  sweep_term_us: number;
  mark_us: number;
  mark_term_us: number;
  heap_start_mb: number;
  heap_end_mb: number;
  live_mb: number;
  goal_mb: number;
  stacks_mb: number | null;
  globals_mb: number | null;
  procs: number;
  forced: boolean;
}

// The line is read as bytes, straight from the file's chunks: no decoded string per line and
// no regex with 14 capture strings (most of a 1,000,000-line parse, docs/parsers.md § Bench).
// `FieldReader` checks every separator of the Go ≥ 1.6 pattern
//   gc \d+ @\d+(?:\.\d+)?s \d+%: [0-9.]+\+[0-9.]+\+[0-9.]+ ms clock, [0-9.+/]+ ms cpu,
//   \d+->\d+->\d+ MB, \d+ MB goal, (?:\d+ MB stacks, )?(?:\d+ MB globals, )?\d+ P(?: \(forced\))?
// while it reads the numbers in place. Every character the pattern names is ASCII, and
// UTF-8 decoding never changes an ASCII byte, so bytes match exactly where the decoded text did.
// Go ≤ 1.4: `gc12(4): 0+0+0+0 us, 0 -> 0 MB, …`.
const pre15Line = /gc\d+\(\d+\): [0-9+]+ us, /;
// Scavenger output: `scvgN: …` (gctrace before Go 1.14) and `scav N KiB work, …` (scavtrace).
const scavengerLine = /(?:^|[^a-z])(?:scvg\d+: |scav \d+ KiB )/;

export type LineKind =
  | { kind: 'cycle'; cycle: GcCycle }
  | { kind: 'five-phase' }
  | { kind: 'pre-1.5' }
  | { kind: 'malformed-gc' }
  | { kind: 'scavenger' }
  | { kind: 'other' };

const OTHER: LineKind = { kind: 'other' };
const FIVE_PHASE: LineKind = { kind: 'five-phase' };
const MALFORMED: LineKind = { kind: 'malformed-gc' };

const G = 103;
const C = 99;
const S = 115;
const SPACE = 32;
const DOT = 46;
const PLUS = 43;
const SLASH = 47;

/**
 * Classifies the line bytes[start, end). `firstGc` is where `gc ` first occurs at or after
 * `start` (possibly beyond the line), or -1: the caller finds it with one forward search
 * shared by all lines, because an unbounded search per line rescans the rest of the input
 * when it holds no more `gc ` (quadratic; measured on 1,000,000 lines in bench/gctrace.bench.js).
 */
export function classifyLine(bytes: Uint8Array, start: number, end: number, firstGc: number): LineKind {
  let at = firstGc;
  let sawGcMarker = false;
  while (at !== -1 && at < end) {
    if (at + 3 < end && isDigit(bytes[at + 3]!)) {
      const cycle = readCycle(bytes, at, end);
      if (cycle !== null) return { kind: 'cycle', cycle };
      if (isFivePhase(bytes, at, end)) return FIVE_PHASE;
      if (looksLikeGcHeader(bytes, at + 3, end)) sawGcMarker = true;
    }
    at = nextGc(bytes, at + 3, end);
  }
  if (sawGcMarker) return MALFORMED;
  // Rare line shapes: the probes below see the line as latin1 text, which keeps every ASCII
  // byte where it was (what the patterns look for) and turns the rest into non-ASCII characters.
  if (!containsPair(bytes, start, end, G, C) && !containsPair(bytes, start, end, S, C)) return OTHER;
  const line = latin1(bytes, start, end);
  if (pre15Line.test(line)) return { kind: 'pre-1.5' };
  if (scavengerLine.test(line)) return { kind: 'scavenger' };
  return OTHER;
}

/** Where `gc ` next occurs in bytes[from, end), or -1. */
function nextGc(bytes: Uint8Array, from: number, end: number): number {
  for (let i = from; i + 2 < end; i++) if (bytes[i] === G && bytes[i + 1] === C && bytes[i + 2] === SPACE) return i;
  return -1;
}

function containsPair(bytes: Uint8Array, from: number, end: number, first: number, second: number): boolean {
  for (let i = from; i + 1 < end; i++) if (bytes[i] === first && bytes[i + 1] === second) return true;
  return false;
}

function latin1(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1');
}

/** `gc N @` — the marker the domain doc says to match anywhere in a line. */
function looksLikeGcHeader(bytes: Uint8Array, from: number, end: number): boolean {
  let i = from;
  while (i < end && isDigit(bytes[i]!)) i++;
  return i > from && i + 1 < end && bytes[i] === SPACE && bytes[i + 1] === 64 /* @ */;
}

/** Go 1.5 (and 1.6 development builds) printed five clock phases: `gc \d+ @[0-9.]+s \d+%: [0-9.]+(?:\+[0-9.]+){4} ms clock`. */
function isFivePhase(bytes: Uint8Array, at: number, end: number): boolean {
  const r = reader.reset(bytes, at + 3, end);
  r.digits();
  if (!r.ok || !r.expect(' @')) return false;
  r.run(false);
  if (!r.ok || !r.expect('s ')) return false;
  r.digits();
  if (!r.ok || !r.expect('%: ')) return false;
  r.run(false);
  for (let k = 0; k < 4; k++) {
    if (!r.ok || !r.expect('+')) return false;
    r.run(false);
  }
  return r.ok && r.expect(' ms clock');
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The fields of a Go ≥ 1.6 line whose `gc ` is at bytes[at]; null when the bytes up to `end`
 * do not match the pattern, or a clock time is not a number (`1.2.3`, which the pattern lets
 * through).
 */
function readCycle(bytes: Uint8Array, at: number, end: number): GcCycle | null {
  const r = reader.reset(bytes, at + 3, end);
  const n = r.integer();
  if (!r.ok || !r.expect(' @')) return null;
  const atS = r.decimal();
  if (!r.ok || !r.expect('s ')) return null;
  const cpuPercent = r.integer();
  if (!r.ok || !r.expect('%: ')) return null;
  const sweepTerm = r.clockMicros();
  if (!r.ok || !r.expect('+')) return null;
  const mark = r.clockMicros();
  if (!r.ok || !r.expect('+')) return null;
  const markTerm = r.clockMicros();
  if (!r.ok || !r.expect(' ms clock, ')) return null;
  r.run(true);
  if (!r.ok || !r.expect(' ms cpu, ')) return null;
  const heapStart = r.integer();
  if (!r.ok || !r.expect('->')) return null;
  const heapEnd = r.integer();
  if (!r.ok || !r.expect('->')) return null;
  const live = r.integer();
  if (!r.ok || !r.expect(' MB, ')) return null;
  const goal = r.integer();
  if (!r.ok || !r.expect(' MB goal, ')) return null;
  let stacks: number | null = null;
  let globals: number | null = null;
  let value = r.integer();
  if (r.ok && r.expect(' MB stacks, ')) {
    stacks = value;
    value = r.integer();
  }
  if (r.ok && r.expect(' MB globals, ')) {
    globals = value;
    value = r.integer();
  }
  if (!r.ok || !r.expect(' P')) return null;
  if (Number.isNaN(sweepTerm + mark + markTerm)) return null;
  return {
    n,
    at_s: atS,
    cpu_percent: cpuPercent,
    sweep_term_us: sweepTerm,
    mark_us: mark,
    mark_term_us: markTerm,
    heap_start_mb: heapStart,
    heap_end_mb: heapEnd,
    live_mb: live,
    goal_mb: goal,
    stacks_mb: stacks,
    globals_mb: globals,
    procs: value,
    forced: r.expect(' (forced)'),
  };
}

/** Digits a double holds exactly as an integer (10^15 < 2^53). */
const EXACT_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: EXACT_DIGITS + 1 }, (_, k) => 10 ** k);

/**
 * A cursor over one line's bytes: reads numbers in place and checks separators. `ok` turns
 * false when a run the pattern requires (`\d+`, `[0-9.]+`) is empty.
 */
class FieldReader {
  ok = true;
  private bytes: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;

  /** One reader serves every line (no allocation per line). */
  reset(bytes: Uint8Array, pos: number, end: number): this {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
    this.ok = true;
    return this;
  }

  /** Steps over `literal` (ASCII) when it comes next; whether it did. */
  expect(literal: string): boolean {
    const bytes = this.bytes;
    const pos = this.pos;
    if (pos + literal.length > this.end) return false;
    for (let k = 0; k < literal.length; k++) if (bytes[pos + k] !== literal.charCodeAt(k)) return false;
    this.pos = pos + literal.length;
    return true;
  }

  /** A non-empty run of `[0-9.]`, or of `[0-9.+/]` (the cpu times) when `cpuTimes`. */
  run(cpuTimes: boolean): void {
    // One loop per run, no predicate passed in: a call per byte was a tenth of the parse (profiled).
    const bytes = this.bytes;
    const end = this.end;
    const from = this.pos;
    let pos = from;
    for (; pos < end; pos++) {
      const c = bytes[pos]!;
      if (!((c >= 48 && c <= 57) || c === DOT || (cpuTimes && (c === PLUS || c === SLASH)))) break;
    }
    this.pos = pos;
    if (pos === from) this.ok = false;
  }

  /** `\d+`, valued as Number() values it. */
  integer(): number {
    const from = this.pos;
    const value = this.digits();
    return this.pos - from <= EXACT_DIGITS ? value : Number(latin1(this.bytes, from, this.pos));
  }

  /**
   * `\d+(?:\.\d+)?`, valued as Number() values it: up to 15 digits, mantissa / 10^k is one
   * correctly rounded division of two exact doubles, which is Number()'s own result.
   */
  decimal(): number {
    const from = this.pos;
    let mantissa = this.digits();
    if (!this.ok) return 0;
    let fractionDigits = 0;
    if (this.pos + 1 < this.end && this.bytes[this.pos] === DOT && isDigit(this.bytes[this.pos + 1]!)) {
      this.pos++;
      const fractionFrom = this.pos;
      const fraction = this.digits();
      fractionDigits = this.pos - fractionFrom;
      if (fractionDigits <= EXACT_DIGITS) mantissa = mantissa * POWERS_OF_TEN[fractionDigits]! + fraction;
    }
    const digitCount = this.pos - from - (fractionDigits > 0 ? 1 : 0);
    if (digitCount > EXACT_DIGITS) return Number(latin1(this.bytes, from, this.pos));
    return fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits]!;
  }

  /** `[0-9.]+` as µs (msToMicros); NaN when it is not a number. */
  clockMicros(): number {
    const from = this.pos;
    this.run(false);
    return msToMicros(this.bytes, from, this.pos);
  }

  /** A non-empty run of digits; its value, exact up to 15 of them. */
  digits(): number {
    // Locals, not fields, in the loop: a field store per digit was a third of the reader's time.
    const bytes = this.bytes;
    const end = this.end;
    const from = this.pos;
    let pos = from;
    let value = 0;
    for (let c = bytes[pos]!; pos < end && isDigit(c); c = bytes[++pos]!) value = value * 10 + (c - 48);
    this.pos = pos;
    if (pos === from) this.ok = false;
    return value;
  }
}

const reader = new FieldReader();

/**
 * "1.2" ms → 1200 µs, exactly. The runtime (fmtNSAsMS) prints ≥ 10 ms as integers and
 * otherwise 2 significant digits with at most 3 decimals, so integer µs lose nothing;
 * extra decimals (never printed by Go) are rounded half up. NaN for text that is not a number.
 * Reads bytes[from, to), so a line's fields need no substring.
 */
export function msToMicros(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let whole = 0;
  let i = from;
  let digits = 0;
  for (; i < to; i++) {
    const c = bytes[i]!;
    if (c === 46) break;
    if (!isDigit(c)) return Number.NaN;
    whole = whole * 10 + (c - 48);
    digits++;
  }
  let frac = 0;
  let scale = 100;
  let roundUp = false;
  let fracDigits = 0;
  for (i++; i < to; i++) {
    const c = bytes[i]!;
    if (!isDigit(c)) return Number.NaN;
    fracDigits++;
    if (scale >= 1) frac += (c - 48) * scale;
    else if (scale === 0.1) roundUp = c >= 53;
    scale /= 10;
  }
  if (digits === 0 && fracDigits === 0) return Number.NaN;
  return whole * 1000 + frac + (roundUp ? 1 : 0);
}
