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

// Sticky: applied at the offset where `gc ` was found, without slicing the input.
const modernLine =
  /gc (\d+) @(\d+(?:\.\d+)?)s (\d+)%: ([0-9.]+)\+([0-9.]+)\+([0-9.]+) ms clock, [0-9.+/]+ ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (?:(\d+) MB stacks, )?(?:(\d+) MB globals, )?(\d+) P( \(forced\))?/y;
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
      const m = modernLine.exec(text);
      const cycle = m !== null && modernLine.lastIndex <= end ? toCycle(m) : null;
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

/** Null when a clock time is not a number (e.g. `1.2.3`), which the regex alone lets through. */
function toCycle(m: RegExpExecArray): GcCycle | null {
  const sweepTerm = msToMicros(m[4]!);
  const mark = msToMicros(m[5]!);
  const markTerm = msToMicros(m[6]!);
  if (Number.isNaN(sweepTerm + mark + markTerm)) return null;
  return {
    n: Number(m[1]),
    at_s: Number(m[2]),
    cpu_percent: Number(m[3]),
    sweep_term_us: sweepTerm,
    mark_us: mark,
    mark_term_us: markTerm,
    heap_start_mb: Number(m[7]),
    heap_end_mb: Number(m[8]),
    live_mb: Number(m[9]),
    goal_mb: Number(m[10]),
    stacks_mb: m[11] === undefined ? null : Number(m[11]),
    globals_mb: m[12] === undefined ? null : Number(m[12]),
    procs: Number(m[13]),
    forced: m[14] !== undefined,
  };
}

/**
 * "1.2" ms → 1200 µs, exactly. The runtime (fmtNSAsMS) prints ≥ 10 ms as integers and
 * otherwise 2 significant digits with at most 3 decimals, so integer µs lose nothing;
 * extra decimals (never printed by Go) are rounded half up. NaN for text that is not a number.
 */
export function msToMicros(text: string): number {
  let whole = 0;
  let i = 0;
  let digits = 0;
  for (; i < text.length; i++) {
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
  for (i++; i < text.length; i++) {
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
