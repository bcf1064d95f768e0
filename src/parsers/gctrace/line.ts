// One gctrace line (Go ≥ 1.6 format, see docs/parsers.md):
//   gc 14 @3.412s 2%: 0.030+1.2+0.004 ms clock, 0.060+0.25/0.81/0.30+0.008 ms cpu,
//   4->4->1 MB, 5 MB goal[, 0 MB stacks, 0 MB globals], 2 P[ (forced)]
// Matched wherever `gc N @` starts in a line, so log prefixes and interleaved output pass.
import { AT, COLON, DOT, PERCENT, PLUS, SLASH, SPACE } from '../ascii.js';

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
// `readCycle` checks every separator of the Go ≥ 1.6 pattern
//   gc \d+ @\d+(?:\.\d+)?s \d+%: [0-9.]+\+[0-9.]+\+[0-9.]+ ms clock, [0-9.+/]+ ms cpu,
//   \d+->\d+->\d+ MB, \d+ MB goal, (?:\d+ MB stacks, )?(?:\d+ MB globals, )?\d+ P(?: \(forced\))?
// while it reads the numbers in place. Every character the pattern names is ASCII, and
// UTF-8 decoding never changes an ASCII byte, so bytes match exactly where the decoded text did.
// Go ≤ 1.4: `gc12(4): 0+0+0+0 us, 0 -> 0 MB, …`.
const pre15Line = /gc\d+\(\d+\): [0-9+]+ us, /;
// Scavenger output: `scvgN: …` (gctrace before Go 1.14) and `scav N KiB work, …` (scavtrace).
const scavengerLine = /(?:^|[^a-z])(?:scvg\d+: |scav \d+ KiB )/;

/** What a line is. Numbers, not objects: classifying a million lines allocates nothing. */
export const CYCLE = 0;
export const FIVE_PHASE = 1;
export const PRE_1_5 = 2;
export const MALFORMED_GC = 3;
export const SCAVENGER = 4;
export const OTHER = 5;
export type LineKind = typeof CYCLE | typeof FIVE_PHASE | typeof PRE_1_5 | typeof MALFORMED_GC | typeof SCAVENGER | typeof OTHER;

/** A cycle record to be filled in by classifyLine (one per stream, reused line after line). */
export function emptyCycle(): GcCycle {
  return { n: 0, at_s: 0, cpu_percent: 0, sweep_term_us: 0, mark_us: 0, mark_term_us: 0, heap_start_mb: 0, heap_end_mb: 0, live_mb: 0, goal_mb: 0, stacks_mb: null, globals_mb: null, procs: 0, forced: false };
}

const G = 103;
const C = 99;
const S = 115;
const P = 80;

/**
 * Classifies the line bytes[start, end); for CYCLE, `cycle` holds its fields (other kinds may
 * leave it partly written). `gc ` is looked for within the line only, by a loop here: it is
 * near the start of a gctrace line (after a log prefix at most), and a native search per
 * line cost more than the rest of the line's classification (bench/gctrace.bench.js).
 */
export function classifyLine(bytes: Uint8Array, start: number, end: number, cycle: GcCycle): LineKind {
  let at = nextGc(bytes, start, end);
  let sawGcMarker = false;
  while (at !== -1 && at < end) {
    if (at + 3 < end && isDigit(bytes[at + 3]!)) {
      if (readCycle(bytes, at, end, cycle)) return CYCLE;
      if (isFivePhase(bytes, at, end)) return FIVE_PHASE;
      if (looksLikeGcHeader(bytes, at + 3, end)) sawGcMarker = true;
    }
    at = nextGc(bytes, at + 3, end);
  }
  if (sawGcMarker) return MALFORMED_GC;
  // Rare line shapes: the probes below see the line as latin1 text, which keeps every ASCII
  // byte where it was (what the patterns look for) and turns the rest into non-ASCII characters.
  if (!containsPair(bytes, start, end, G, C) && !containsPair(bytes, start, end, S, C)) return OTHER;
  const line = latin1(bytes, start, end);
  if (pre15Line.test(line)) return PRE_1_5;
  if (scavengerLine.test(line)) return SCAVENGER;
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
  const i = skipDigits(bytes, from, end);
  return i > from && i + 1 < end && bytes[i] === SPACE && bytes[i + 1] === AT;
}

/** Go 1.5 (and 1.6 development builds) printed five clock phases: `gc \d+ @[0-9.]+s \d+%: [0-9.]+(?:\+[0-9.]+){4} ms clock`. */
function isFivePhase(bytes: Uint8Array, at: number, end: number): boolean {
  let p = at + 3;
  let next = skipDigits(bytes, p, end);
  if (next === p || !isPair(bytes, next, end, SPACE, AT)) return false;
  p = next + 2;
  next = skipRun(bytes, p, end, false);
  if (next === p || !isPair(bytes, next, end, S, SPACE)) return false;
  p = next + 2;
  next = skipDigits(bytes, p, end);
  if (next === p || !matches(bytes, next, end, PERCENT_COLON_SPACE)) return false;
  p = next + PERCENT_COLON_SPACE.length;
  next = skipRun(bytes, p, end, false);
  if (next === p) return false;
  for (let k = 0; k < 4; k++) {
    if (next >= end || bytes[next] !== PLUS) return false;
    p = next + 1;
    next = skipRun(bytes, p, end, false);
    if (next === p) return false;
  }
  return matches(bytes, next, end, MS_CLOCK);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (ch) => ch.charCodeAt(0));
const PERCENT_COLON_SPACE = ascii('%: ');
const MS_CLOCK = ascii(' ms clock');
const MS_CLOCK_COMMA = ascii(' ms clock, ');
const MS_CPU = ascii(' ms cpu, ');
const MB_COMMA = ascii(' MB, ');
const MB_GOAL = ascii(' MB goal, ');
const MB_STACKS = ascii(' MB stacks, ');
const MB_GLOBALS = ascii(' MB globals, ');
const FORCED = ascii(' (forced)');

/**
 * Reads the fields of a Go ≥ 1.6 line whose `gc ` is at bytes[at] into `out`; false when the
 * bytes up to `end` do not match the pattern, or a clock time is not a number (`1.2.3`,
 * which the pattern lets through). One function over a local position, each field read where
 * it lies: this is the parse's inner loop (docs/parsers.md § Bench).
 */
function readCycle(bytes: Uint8Array, at: number, end: number, out: GcCycle): boolean {
  let p = at + 3;
  let next = readInteger(bytes, p, end);
  if (next === p || !isPair(bytes, next, end, SPACE, AT)) return false;
  out.n = read[0]!;
  p = next + 2;
  next = readDecimal(bytes, p, end);
  if (next === p || !isPair(bytes, next, end, S, SPACE)) return false;
  out.at_s = read[0]!;
  p = next + 2;
  next = readInteger(bytes, p, end);
  if (next === p || next + 2 >= end || bytes[next] !== PERCENT || bytes[next + 1] !== COLON || bytes[next + 2] !== SPACE) return false;
  out.cpu_percent = read[0]!;
  p = next + 3;
  next = readClockMicros(bytes, p, end);
  if (next === p || next >= end || bytes[next] !== PLUS) return false;
  const sweepTerm = read[0]!;
  p = next + 1;
  next = readClockMicros(bytes, p, end);
  if (next === p || next >= end || bytes[next] !== PLUS) return false;
  const mark = read[0]!;
  p = next + 1;
  next = readClockMicros(bytes, p, end);
  if (next === p || !matches(bytes, next, end, MS_CLOCK_COMMA)) return false;
  const markTerm = read[0]!;
  p = next + MS_CLOCK_COMMA.length;
  next = skipRun(bytes, p, end, true);
  if (next === p || !matches(bytes, next, end, MS_CPU)) return false;
  p = next + MS_CPU.length;
  next = readInteger(bytes, p, end);
  if (next === p || !isPair(bytes, next, end, 45 /* - */, 62 /* > */)) return false;
  out.heap_start_mb = read[0]!;
  p = next + 2;
  next = readInteger(bytes, p, end);
  if (next === p || !isPair(bytes, next, end, 45, 62)) return false;
  out.heap_end_mb = read[0]!;
  p = next + 2;
  next = readInteger(bytes, p, end);
  if (next === p || !matches(bytes, next, end, MB_COMMA)) return false;
  out.live_mb = read[0]!;
  p = next + MB_COMMA.length;
  next = readInteger(bytes, p, end);
  if (next === p || !matches(bytes, next, end, MB_GOAL)) return false;
  out.goal_mb = read[0]!;
  p = next + MB_GOAL.length;
  out.stacks_mb = null;
  out.globals_mb = null;
  next = readInteger(bytes, p, end);
  if (next === p) return false;
  if (matches(bytes, next, end, MB_STACKS)) {
    out.stacks_mb = read[0]!;
    p = next + MB_STACKS.length;
    next = readInteger(bytes, p, end);
    if (next === p) return false;
  }
  if (matches(bytes, next, end, MB_GLOBALS)) {
    out.globals_mb = read[0]!;
    p = next + MB_GLOBALS.length;
    next = readInteger(bytes, p, end);
    if (next === p) return false;
  }
  if (!isPair(bytes, next, end, SPACE, P)) return false;
  if (Number.isNaN(sweepTerm + mark + markTerm)) return false;
  out.procs = read[0]!;
  out.sweep_term_us = sweepTerm;
  out.mark_us = mark;
  out.mark_term_us = markTerm;
  out.forced = matches(bytes, next + 2, end, FORCED);
  return true;
}

/** Digits a double holds exactly as an integer (10^15 < 2^53). */
const EXACT_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: EXACT_DIGITS + 1 }, (_, k) => 10 ** k);

/**
 * The value the last read* call read (they return the position after the field). A typed
 * array, not a variable: a fractional number stored in a module variable is a new heap object
 * each time, and those were most of the garbage collector's work in the parse (profiled).
 */
const read = new Float64Array(1);

/** `\d+` at bytes[p]: the position after it (p when there is none); its value, as Number() values it. */
function readInteger(bytes: Uint8Array, p: number, end: number): number {
  const from = p;
  let v = 0;
  for (; p < end; p++) {
    const c = bytes[p]!;
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  read[0] = p - from <= EXACT_DIGITS ? v : Number(latin1(bytes, from, p));
  return p;
}

/**
 * `\d+(?:\.\d+)?` at bytes[p], valued as Number() values it: up to 15 digits, mantissa / 10^k
 * is one correctly rounded division of two exact doubles, which is Number()'s own result.
 */
function readDecimal(bytes: Uint8Array, p: number, end: number): number {
  const from = p;
  p = readInteger(bytes, p, end);
  if (p === from) return p;
  let mantissa = read[0]!;
  let fractionDigits = 0;
  if (p + 1 < end && bytes[p] === DOT && isDigit(bytes[p + 1]!)) {
    const fractionFrom = p + 1;
    p = readInteger(bytes, fractionFrom, end);
    fractionDigits = p - fractionFrom;
    if (fractionDigits <= EXACT_DIGITS) mantissa = mantissa * POWERS_OF_TEN[fractionDigits]! + read[0]!;
  }
  const digitCount = p - from - (fractionDigits > 0 ? 1 : 0);
  read[0] = digitCount > EXACT_DIGITS ? Number(latin1(bytes, from, p)) : fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits]!;
  return p;
}

/**
 * `[0-9.]+` at bytes[p] as µs, read in one pass (NaN when it is not a number): the position
 * after it. "1.2" ms → 1200 µs, exactly. The runtime (fmtNSAsMS) prints ≥ 10 ms as integers
 * and otherwise 2 significant digits with at most 3 decimals, so integer µs lose nothing;
 * extra decimals (never printed by Go) are rounded half up. One pass, not the run's end found
 * first and then read: 5–8 % less CPU for a whole parse (in-process, interleaved, noisy).
 */
function readClockMicros(bytes: Uint8Array, p: number, end: number): number {
  let whole = 0;
  let digits = 0;
  for (; p < end; p++) {
    const c = bytes[p]!;
    if (!isDigit(c)) break;
    whole = whole * 10 + (c - 48);
    digits++;
  }
  if (p >= end || bytes[p] !== DOT) {
    read[0] = digits === 0 ? Number.NaN : whole * 1000;
    return p;
  }
  let frac = 0;
  let fracDigits = 0;
  let roundUp = false;
  // A second dot (`1.2.3`) is still part of the run, and makes it not a number.
  let secondDot = false;
  for (p++; p < end; p++) {
    const c = bytes[p]!;
    if (c === DOT) {
      secondDot = true;
      continue;
    }
    if (!isDigit(c)) break;
    if (fracDigits === 0) frac += (c - 48) * 100;
    else if (fracDigits === 1) frac += (c - 48) * 10;
    else if (fracDigits === 2) frac += c - 48;
    else if (fracDigits === 3) roundUp = c >= 53;
    fracDigits++;
  }
  read[0] = secondDot || (digits === 0 && fracDigits === 0) ? Number.NaN : whole * 1000 + frac + (roundUp ? 1 : 0);
  return p;
}

function skipDigits(bytes: Uint8Array, p: number, end: number): number {
  while (p < end && isDigit(bytes[p]!)) p++;
  return p;
}

/** The end of a run of `[0-9.]`, or of `[0-9.+/]` (the cpu times) when `cpuTimes`. */
function skipRun(bytes: Uint8Array, p: number, end: number, cpuTimes: boolean): number {
  for (; p < end; p++) {
    const c = bytes[p]!;
    if (!((c >= 48 && c <= 57) || c === DOT || (cpuTimes && (c === PLUS || c === SLASH)))) break;
  }
  return p;
}

function isPair(bytes: Uint8Array, p: number, end: number, first: number, second: number): boolean {
  return p + 1 < end && bytes[p] === first && bytes[p + 1] === second;
}

/** Whether `literal` (ASCII bytes) lies at bytes[p], within `end`. */
function matches(bytes: Uint8Array, p: number, end: number, literal: Uint8Array): boolean {
  if (p + literal.length > end) return false;
  for (let k = 0; k < literal.length; k++) if (bytes[p + k] !== literal[k]) return false;
  return true;
}

/** bytes[from, to) as a clock time in µs (see readClockMicros); NaN unless all of it is one. */
export function msToMicros(bytes: Uint8Array, from = 0, to = bytes.length): number {
  return readClockMicros(bytes, from, to) === to ? read[0]! : Number.NaN;
}
