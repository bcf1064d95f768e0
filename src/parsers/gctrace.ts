// GODEBUG=gctrace=1 output → STW pause statistics, heap series and GC signals.
// Mechanics (what each field means, why STW = sweep termination + mark termination):
// /work/shared/docs/domain.md § gctrace; fact definitions: docs/parsers.md § gctrace.
import { BlankInput } from './blank-input.js';
import { ChunkLines, parseWhole } from './chunk-lines.js';
import type { FactValue, Facts, ParseResult, ParseStream, ParseWarning, StreamingParser } from './types.js';
import { classifyLine, CYCLE, emptyCycle, FIVE_PHASE, MALFORMED_GC, OTHER, PRE_1_5, SCAVENGER, type GcCycle } from './gctrace/line.js';
import { PauseDistribution } from './gctrace/pause-distribution.js';
import { SeriesRing } from './gctrace/series-ring.js';
import { GoalBoundStreakTracker, LiveHeapTrendTracker } from './gctrace/signals.js';

/** Per-cycle rows kept in `series` by default: the latest ones, so facts stay journal-sized. */
const DEFAULT_SERIES_LIMIT = 10_000;
/** Warnings are about the input, not a copy of it. */
const MAX_WARNINGS = 50;
/** How many of the longest pauses `stw_top_ms` lists. */
const STW_TOP = 5;
/** A gctrace line is ~150 bytes; a longer "line" is read up to here (bounded memory on input without newlines). */
const MAX_LINE_BYTES = 2 ** 20;
/** `@Ns` beyond ~31 years of uptime is a runtime clock bug (golang/go#21554 printed @18446653480s). */
const IMPLAUSIBLE_UPTIME_S = 1e9;

interface Tally {
  pre15Lines: number;
  pre15FirstLine: number;
  fivePhaseLines: number;
  fivePhaseFirstLine: number;
  malformedLines: number;
  scavengerLines: number;
  otherLines: number;
}

export const gctraceParser: StreamingParser = {
  name: 'gctrace',
  summary: 'GODEBUG=gctrace=1 lines (any log prefix): STW pauses, live heap, goal, GC CPU, restarts',
  keyFacts: [
    'cycles',
    'stw_max_ms',
    'stw_p99_ms',
    'stw_p50_ms',
    'stw_max_phase',
    'live_heap_mb_first',
    'live_heap_mb_last',
    'live_heap_trend',
    'heap_goal_mb_last',
    'gc_cpu_percent_last',
    'forced_cycles',
    'restarts',
    'gomemlimit_pressure',
  ],
  parse: (input, options = {}) => parseWhole(input, (skipBom) => new GctraceStream(options, skipBom)),
  stream: (options = {}) => new GctraceStream(options, true),
};

/**
 * Reads the log a chunk at a time (`runbook parse gctrace` streams files of any size): each
 * line is classified where it lies in the chunk and only aggregates are kept — counts, the
 * pause distribution, the trackers and the bounded series — so memory does not grow with
 * the input (docs/parsers.md § gctrace, § Bench).
 */
class GctraceStream implements ParseStream {
  private readonly lines: ChunkLines;
  private readonly blank = new BlankInput();
  private readonly warnings: ParseWarning[] = [];
  private readonly tally: Tally = { pre15Lines: 0, pre15FirstLine: 0, fivePhaseLines: 0, fivePhaseFirstLine: 0, malformedLines: 0, scavengerLines: 0, otherLines: 0 };
  private readonly stw = new PauseDistribution(STW_TOP);
  private readonly series: SeriesRing;
  private stwTotalUs = 0;
  private maxCycle: GcCycle | null = null;
  private maxStwUs = 0;
  private first: GcCycle | null = null;
  private last: GcCycle | null = null;
  /** Where classifyLine writes the next cycle (see cycle()). */
  private spare = emptyCycle();
  private forced = 0;
  private restarts = 0;
  // The latest run (after the last restart): its first cycle and how many it has.
  private runFirst: GcCycle | null = null;
  private runCycles = 0;
  // Each phase's longest: both long means goroutines did not reach a safepoint (domain.md).
  private sweepTermMaxUs = 0;
  private markTermMaxUs = 0;
  // A cycle's goal was set from the previous cycle's live heap (gc 13 "223->223->161 MB,
  // 227 MB goal" follows gc 12's 113 MB live: 2 × 113 under GOGC=100).
  // Its goal and that live heap (NaN for none), divided once at the end. NaN, not null: a
  // field that also holds null boxes every number stored in it (an allocation per cycle).
  private goalLast = Number.NaN;
  private goalFromLiveMb = Number.NaN;
  private stwPhasesOnMsGrid = 0;
  private stwPhasesZero = 0;
  private readonly trend = new LiveHeapTrendTracker();
  private readonly streak = new GoalBoundStreakTracker();
  private lineNo = 0;
  private cutLines = 0;
  private cutFirstLine = 0;
  private readonly visit = (bytes: Buffer, start: number, end: number, cut: boolean): void => this.line(bytes, start, end, cut);

  constructor(options: Record<string, unknown>, skipBom: boolean) {
    this.series = new SeriesRing(seriesLimitOption(options.seriesLimit));
    this.lines = new ChunkLines(MAX_LINE_BYTES, skipBom);
  }

  write(chunk: Uint8Array): void {
    this.blank.feed(chunk);
    this.lines.write(chunk, this.visit);
  }

  private warn(message: string, line?: number): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(line === undefined ? { message } : { message, line });
  }

  private line(bytes: Buffer, start: number, end: number, cut: boolean): void {
    const lineNo = ++this.lineNo;
    if (cut && this.cutLines++ === 0) this.cutFirstLine = lineNo;
    const kind = classifyLine(bytes, start, end, this.spare);
    const tally = this.tally;
    switch (kind) {
      case CYCLE:
        this.cycle(this.spare, lineNo);
        break;
      case FIVE_PHASE:
        if (tally.fivePhaseLines++ === 0) tally.fivePhaseFirstLine = lineNo;
        break;
      case PRE_1_5:
        if (tally.pre15Lines++ === 0) tally.pre15FirstLine = lineNo;
        break;
      case MALFORMED_GC:
        tally.malformedLines++;
        this.warn('line has `gc N @` but not the Go ≥ 1.6 gctrace fields (truncated or garbled?); skipped', lineNo);
        break;
      case SCAVENGER:
        tally.scavengerLines++;
        break;
      case OTHER:
        tally.otherLines++;
        break;
    }
  }

  /**
   * `c` is the spare record classifyLine just filled: it becomes `last`, and the previous
   * `last` the next spare. What outlives the next line (first, run start, longest) is copied.
   */
  private cycle(c: GcCycle, lineNo: number): void {
    const previous = this.last;
    if (previous !== null && c.n <= previous.n) {
      this.restarts++;
      this.trend.restart();
      this.runFirst = null;
      this.runCycles = 0;
    }
    const goalFollows = this.runFirst !== null && previous !== null && c.n === previous.n + 1 && previous.live_mb > 0;
    this.goalLast = goalFollows ? c.goal_mb : Number.NaN;
    this.goalFromLiveMb = goalFollows ? previous.live_mb : Number.NaN;
    this.runFirst ??= { ...c };
    this.runCycles++;
    this.sweepTermMaxUs = Math.max(this.sweepTermMaxUs, c.sweep_term_us);
    this.markTermMaxUs = Math.max(this.markTermMaxUs, c.mark_term_us);
    const stwUs = c.sweep_term_us + c.mark_term_us;
    this.stw.add(stwUs);
    this.stwTotalUs += stwUs;
    if (this.maxCycle === null || stwUs > this.maxStwUs) {
      this.maxCycle = { ...c };
      this.maxStwUs = stwUs;
    }
    if (c.forced) this.forced++;
    this.stwPhasesOnMsGrid += (c.sweep_term_us % 1000 === 0 ? 1 : 0) + (c.mark_term_us % 1000 === 0 ? 1 : 0);
    this.stwPhasesZero += (c.sweep_term_us === 0 ? 1 : 0) + (c.mark_term_us === 0 ? 1 : 0);
    if (c.at_s > IMPLAUSIBLE_UPTIME_S) this.warn(`gc ${c.n}: implausible time since start @${c.at_s}s (runtime clock bug); kept as printed`, lineNo);
    this.trend.add(c.live_mb);
    this.streak.add(c);
    this.first ??= { ...c };
    this.series.push(c);
    this.last = c;
    this.spare = previous ?? emptyCycle();
  }

  end(): ParseResult {
    this.lines.end(this.visit);
    const { warnings, tally, stw } = this;
    const series = this.series.rows();
    // One warning per legacy format, not per line: an old log has thousands of them.
    if (tally.fivePhaseLines > 0) {
      warnings.push({ line: tally.fivePhaseFirstLine, message: `${tally.fivePhaseLines} Go 1.5 gctrace lines (five clock phases) skipped: their phases differ from Go ≥ 1.6` });
    }
    if (tally.pre15Lines > 0) {
      warnings.push({ line: tally.pre15FirstLine, message: `${tally.pre15Lines} Go ≤ 1.4 gctrace lines (\`gcN(P): …\`) skipped: that format has no STW breakdown` });
    }
    if (this.cutLines > 0) {
      warnings.push({ line: this.cutFirstLine, message: `${this.cutLines} lines longer than ${MAX_LINE_BYTES / 2 ** 20} MiB: only their first ${MAX_LINE_BYTES / 2 ** 20} MiB were read` });
    }
    if (stw.approximate) {
      warnings.push({ message: `more than 65,536 distinct STW pause values: stw_p50_ms and stw_p99_ms are rounded to 3 significant digits (max and top pauses are exact)` });
    }
    const { stwTotalUs, maxCycle, first, last, runFirst, runCycles, sweepTermMaxUs, markTermMaxUs, goalLast, goalFromLiveMb, forced, restarts, trend, streak } = this;
    const goalRatioLast = Number.isNaN(goalLast) ? null : round3(goalLast / goalFromLiveMb);
    const facts = buildFacts({ stw, stwTotalUs, maxCycle, first, last, runFirst, runCycles, sweepTermMaxUs, markTermMaxUs, goalRatioLast, forced, restarts, series, tally, trend, streak });
    const cycles = stw.count();
    facts.series_truncated = cycles > series.length;
    const coarse = cycles >= 5 && this.stwPhasesOnMsGrid === 2 * cycles && this.stwPhasesZero >= 1.6 * cycles;
    facts.coarse_timer = coarse;
    if (coarse) {
      warnings.push({
        message: 'STW times are quantised to whole milliseconds and mostly 0 (coarse OS timer, e.g. Windows): sub-millisecond pauses read as 0',
      });
    }
    if (warnings.length === MAX_WARNINGS) warnings.push({ message: `more warnings not shown (first ${MAX_WARNINGS} kept)` });
    const error = cycles === 0 ? noCyclesError(this.blank.isBlank(), tally) : undefined;
    return error ? { facts, warnings, error } : { facts, warnings };
  }
}

function seriesLimitOption(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : DEFAULT_SERIES_LIMIT;
}

interface Aggregate {
  stw: PauseDistribution;
  stwTotalUs: number;
  maxCycle: GcCycle | null;
  first: GcCycle | null;
  last: GcCycle | null;
  runFirst: GcCycle | null;
  runCycles: number;
  sweepTermMaxUs: number;
  markTermMaxUs: number;
  goalRatioLast: number | null;
  forced: number;
  restarts: number;
  series: Facts[];
  tally: Tally;
  trend: LiveHeapTrendTracker;
  streak: GoalBoundStreakTracker;
}

function buildFacts(a: Aggregate): Facts {
  const ms = (us: number): number => us / 1000;
  const pct = (p: number): FactValue => {
    const us = a.stw.percentile(p);
    return us === null ? null : ms(us);
  };
  const max = a.maxCycle;
  return {
    cycles: a.stw.count(),
    stw_max_ms: max === null ? null : ms(max.sweep_term_us + max.mark_term_us),
    stw_max_gc: max === null ? null : max.n,
    stw_max_phase: max === null ? null : max.sweep_term_us >= max.mark_term_us ? 'sweep-termination' : 'mark-termination',
    stw_p99_ms: pct(99),
    stw_p50_ms: pct(50),
    // The longest few, longest first: whether a second pause also crosses a threshold is
    // what tells a recurring problem from one isolated outlier (runbooks/go-gc-pauses.yaml).
    stw_top_ms: a.stw.longest().map(ms),
    stw_total_ms: ms(a.stwTotalUs),
    sweep_term_max_ms: max === null ? null : ms(a.sweepTermMaxUs),
    mark_term_max_ms: max === null ? null : ms(a.markTermMaxUs),
    live_heap_mb_first: a.first?.live_mb ?? null,
    live_heap_mb_last: a.last?.live_mb ?? null,
    live_heap_trend: a.trend.trend(),
    live_heap_slope_mb_per_cycle: a.trend.cycles() < 2 ? null : round3(a.trend.slope()),
    heap_goal_mb_last: a.last?.goal_mb ?? null,
    gc_cpu_percent_last: a.last?.cpu_percent ?? null,
    procs_last: a.last?.procs ?? null,
    stacks_mb_last: a.last?.stacks_mb ?? null,
    globals_mb_last: a.last?.globals_mb ?? null,
    run_cycles: a.runCycles,
    gc_per_s: gcPerSecond(a),
    // The goal over the live heap it was set from: 1 + GOGC/100 when GOGC paces the GC, less
    // when a memory limit pins the goal (runbooks compare it with GOGC's own ratio).
    heap_goal_ratio_last: a.goalRatioLast,
    forced_cycles: a.forced,
    forced_share: a.stw.count() === 0 ? null : round3(a.forced / a.stw.count()),
    restarts: a.restarts,
    gomemlimit_pressure: a.streak.pressure,
    gomemlimit_pressure_from_gc: a.streak.pressureFromGc,
    goal_bound_streak_max: a.streak.longest,
    goal_bound_streak_from_gc: a.streak.longestFromGc,
    scavenger_lines: a.tally.scavengerLines,
    legacy_lines: a.tally.pre15Lines + a.tally.fivePhaseLines,
    malformed_lines: a.tally.malformedLines,
    other_lines: a.tally.otherLines,
    series: a.series,
  };
}

/** GCs per second in the latest run: its cycles over its time span (the series is capped and
 *  `@Ns` restarts at 0 with the process, so neither spans the whole log). */
function gcPerSecond(a: Aggregate): number | null {
  const first = a.runFirst;
  const last = a.last;
  if (first === null || last === null) return null;
  const span = last.at_s - first.at_s;
  if (a.runCycles >= 2 && span > 0) return Math.round(((a.runCycles - 1) / span) * 100) / 100;
  // One cycle: its number over the uptime, once there are enough cycles to average.
  return last.n >= 10 && last.at_s > 0 ? Math.round((last.n / last.at_s) * 100) / 100 : null;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function noCyclesError(blank: boolean, tally: Tally): ParseResult['error'] {
  if (tally.pre15Lines + tally.fivePhaseLines > 0) {
    return {
      code: 'unsupported-format',
      message:
        `only pre-Go 1.6 gctrace lines found (${tally.pre15Lines} in the Go ≤ 1.4 \`gcN(P): …\` format, ` +
        `${tally.fivePhaseLines} in the Go 1.5 five-phase format); their phases cannot be read as Go ≥ 1.6 STW times`,
    };
  }
  if (blank) return { code: 'empty', message: 'no input: expected GODEBUG=gctrace=1 output' };
  const scav = tally.scavengerLines > 0 ? ` (${tally.scavengerLines} scavenger lines, which carry no GC cycles)` : '';
  return {
    code: 'unrecognised-format',
    message: `no gctrace lines found${scav}: expected lines like "gc 14 @3.412s 2%: 0.030+1.2+0.004 ms clock, … 4->4->1 MB, 5 MB goal, 2 P"`,
  };
}
