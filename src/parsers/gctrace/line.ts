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

// Sticky: applied at the offset where `gc ` was found, without slicing the input. No capture
// groups: materialising 14 capture strings per line and converting them with Number() was
// most of a 1,000,000-line parse (docs/parsers.md § Bench); readCycle reads the fields from
// the text this pattern has matched.
const modernLine =
  /gc \d+ @\d+(?:\.\d+)?s \d+%: [0-9.]+\+[0-9.]+\+[0-9.]+ ms clock, [0-9.+/]+ ms cpu, \d+->\d+->\d+ MB, \d+ MB goal, (?:\d+ MB stacks, )?(?:\d+ MB globals, )?\d+ P(?: \(forced\))?/y;
// Go 1.5 (and 1.6 development builds) printed five clock phases: `0.23+0+0+2.4+0.64 ms clock`.
const fivePhaseLine = /gc \d+ @[0-9.]+s \d+%: [0-9.]+(?:\+[0-9.]+){4} ms clock/y;
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

/**
 * Classifies the line text[start, end). `firstGc` is where `gc ` first occurs in it, or -1:
 * the caller finds it with one forward search shared by all lines, because an unbounded
 * indexOf per line rescans the rest of the log when it has no more `gc ` (quadratic; measured
 * on 1,000,000 lines in bench/gctrace.bench.js).
 */
export function classifyLine(text: string, start: number, end: number, firstGc: number): LineKind {
  let at = firstGc;
  let sawGcMarker = false;
  while (at !== -1 && at < end) {
    const next = text.charCodeAt(at + 3);
    if (next >= 48 && next <= 57) {
      modernLine.lastIndex = at;
      const cycle = modernLine.test(text) && modernLine.lastIndex <= end ? readCycle(text, at, modernLine.lastIndex) : null;
      if (cycle !== null) return { kind: 'cycle', cycle };
      fivePhaseLine.lastIndex = at;
      if (fivePhaseLine.test(text) && fivePhaseLine.lastIndex <= end) return { kind: 'five-phase' };
      if (looksLikeGcHeader(text, at + 3, end)) sawGcMarker = true;
    }
    const further = text.slice(at + 3, end).indexOf('gc ');
    at = further === -1 ? -1 : at + 3 + further;
  }
  if (sawGcMarker) return { kind: 'malformed-gc' };
  // Rare line shapes; the probe is bounded to the line.
  const line = text.slice(start, end);
  if (!line.includes('gc') && !line.includes('sc')) return OTHER;
  if (pre15Line.test(line)) return { kind: 'pre-1.5' };
  if (scavengerLine.test(line)) return { kind: 'scavenger' };
  return OTHER;
}

/** `gc N @` — the marker the domain doc says to match anywhere in a line. */
function looksLikeGcHeader(text: string, from: number, end: number): boolean {
  let i = from;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  return i > from && text.startsWith(' @', i);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The fields of text[at, matchEnd), a match of `modernLine`; null when a clock time is not a
 * number (`1.2.3`, which the pattern lets through). The pattern has checked every separator,
 * so the reader only steps over them.
 */
function readCycle(text: string, at: number, matchEnd: number): GcCycle | null {
  const r = new MatchedFields(text, at);
  r.pass('gc ');
  const n = r.integer();
  r.pass(' @');
  const atS = r.decimal();
  r.pass('s ');
  const cpuPercent = r.integer();
  r.pass('%: ');
  const sweepTerm = r.clockMicros();
  r.pass('+');
  const mark = r.clockMicros();
  r.pass('+');
  const markTerm = r.clockMicros();
  if (Number.isNaN(sweepTerm + mark + markTerm)) return null;
  r.pass(' ms clock, ');
  r.passCpuTimes();
  r.pass(' ms cpu, ');
  const heapStart = r.integer();
  r.pass('->');
  const heapEnd = r.integer();
  r.pass('->');
  const live = r.integer();
  r.pass(' MB, ');
  const goal = r.integer();
  r.pass(' MB goal, ');
  let stacks: number | null = null;
  let globals: number | null = null;
  let value = r.integer();
  if (r.optionalPart() === 'stacks') {
    stacks = value;
    r.pass(' MB stacks, ');
    value = r.integer();
  }
  if (r.optionalPart() === 'globals') {
    globals = value;
    r.pass(' MB globals, ');
    value = r.integer();
  }
  r.pass(' P');
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
    // The pattern took ` (forced)` into the match when it was there.
    forced: r.position() < matchEnd,
  };
}

/** Digits a double holds exactly as an integer (10^15 < 2^53). */
const EXACT_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: EXACT_DIGITS + 1 }, (_, k) => 10 ** k);

/** A cursor over text the pattern has matched: reads numbers in place, steps over separators. */
class MatchedFields {
  constructor(
    private readonly text: string,
    private pos: number,
  ) {}

  /** Steps over `separator`, which the pattern has already checked is there. */
  pass(separator: string): void {
    this.pos += separator.length;
  }

  /**
   * The optional part the pattern matched at this point: ` MB stacks, `, ` MB globals, `, or
   * neither (then ` P` follows). One letter tells each apart; startsWith(' MB s', pos) was a
   * tenth of the parse (profiled).
   */
  optionalPart(): 'stacks' | 'globals' | null {
    if (this.text.charCodeAt(this.pos + 1) !== 77 /* M */) return null;
    return this.text.charCodeAt(this.pos + 4) === 115 /* s */ ? 'stacks' : 'globals';
  }

  position(): number {
    return this.pos;
  }

  /** `\d+`, valued as Number() values it. */
  integer(): number {
    const from = this.pos;
    const value = this.digits();
    return this.pos - from <= EXACT_DIGITS ? value : Number(this.text.slice(from, this.pos));
  }

  /**
   * `\d+(?:\.\d+)?`, valued as Number() values it: up to 15 digits, mantissa / 10^k is one
   * correctly rounded division of two exact doubles, which is Number()'s own result.
   */
  decimal(): number {
    const from = this.pos;
    let mantissa = this.digits();
    let fractionDigits = 0;
    if (this.text.charCodeAt(this.pos) === 46 /* . */) {
      this.pos++;
      const fractionFrom = this.pos;
      const fraction = this.digits();
      fractionDigits = this.pos - fractionFrom;
      if (fractionDigits <= EXACT_DIGITS) mantissa = mantissa * POWERS_OF_TEN[fractionDigits]! + fraction;
    }
    const digitCount = this.pos - from - (fractionDigits > 0 ? 1 : 0);
    if (digitCount > EXACT_DIGITS) return Number(this.text.slice(from, this.pos));
    return fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits]!;
  }

  /** `[0-9.]+` as µs (msToMicros); NaN when it is not a number. */
  clockMicros(): number {
    const from = this.pos;
    let pos = from;
    while (isDigitOrDot(this.text.charCodeAt(pos))) pos++;
    this.pos = pos;
    return msToMicros(this.text, from, pos);
  }

  /** `[0-9.+/]+`: the cpu times, which no fact uses; they end at the next space. */
  passCpuTimes(): void {
    this.pos = this.text.indexOf(' ', this.pos);
  }

  /** Consumes a run of digits; its value, exact up to 15 of them. */
  private digits(): number {
    // Locals, not fields, in the loop: a field store per digit was a third of the reader's time.
    const text = this.text;
    let pos = this.pos;
    let value = 0;
    for (let c = text.charCodeAt(pos); isDigit(c); c = text.charCodeAt(++pos)) value = value * 10 + (c - 48);
    this.pos = pos;
    return value;
  }
}

function isDigitOrDot(c: number): boolean {
  return isDigit(c) || c === 46;
}

/**
 * "1.2" ms → 1200 µs, exactly. The runtime (fmtNSAsMS) prints ≥ 10 ms as integers and
 * otherwise 2 significant digits with at most 3 decimals, so integer µs lose nothing;
 * extra decimals (never printed by Go) are rounded half up. NaN for text that is not a number.
 * Reads text[from, to), so a line's fields need no substring.
 */
export function msToMicros(text: string, from = 0, to = text.length): number {
  let whole = 0;
  let i = from;
  let digits = 0;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
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
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return Number.NaN;
    fracDigits++;
    if (scale >= 1) frac += (c - 48) * scale;
    else if (scale === 0.1) roundUp = c >= 53;
    scale /= 10;
  }
  if (digits === 0 && fracDigits === 0) return Number.NaN;
  return whole * 1000 + frac + (roundUp ? 1 : 0);
}
