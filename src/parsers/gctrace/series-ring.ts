// The latest N cycles of a log of any length, for the `series` rows: a ring of typed columns rather
// than an array of cycle objects, so a million-cycle log does not carry tens of thousands of
// objects into the old generation (the garbage collector was a seventh of the parse, profiled).
// Each column is named, not looked up by key: a loop over field names per cycle was a tenth
// of the parse (megamorphic property reads, profiled in bench/gctrace.bench.js).
import type { Facts } from '../types.js';
import type { GcCycle } from './line.js';

export class SeriesRing {
  private readonly n: Float64Array;
  private readonly atS: Float64Array;
  private readonly cpuPercent: Float64Array;
  private readonly sweepTermUs: Float64Array;
  private readonly markUs: Float64Array;
  private readonly markTermUs: Float64Array;
  private readonly heapStartMb: Float64Array;
  private readonly heapEndMb: Float64Array;
  private readonly liveMb: Float64Array;
  private readonly goalMb: Float64Array;
  private readonly procs: Float64Array;
  /** null is NaN here: the numbers themselves are never NaN. */
  private readonly stacksMb: Float64Array;
  private readonly globalsMb: Float64Array;
  private readonly forced: Uint8Array;
  private next = 0;
  private held = 0;

  constructor(private readonly capacity: number) {
    const column = (): Float64Array => new Float64Array(capacity);
    this.n = column();
    this.atS = column();
    this.cpuPercent = column();
    this.sweepTermUs = column();
    this.markUs = column();
    this.markTermUs = column();
    this.heapStartMb = column();
    this.heapEndMb = column();
    this.liveMb = column();
    this.goalMb = column();
    this.procs = column();
    this.stacksMb = column();
    this.globalsMb = column();
    this.forced = new Uint8Array(capacity);
  }

  push(c: GcCycle): void {
    if (this.capacity === 0) return;
    const at = this.next;
    this.n[at] = c.n;
    this.atS[at] = c.at_s;
    this.cpuPercent[at] = c.cpu_percent;
    this.sweepTermUs[at] = c.sweep_term_us;
    this.markUs[at] = c.mark_us;
    this.markTermUs[at] = c.mark_term_us;
    this.heapStartMb[at] = c.heap_start_mb;
    this.heapEndMb[at] = c.heap_end_mb;
    this.liveMb[at] = c.live_mb;
    this.goalMb[at] = c.goal_mb;
    this.procs[at] = c.procs;
    this.stacksMb[at] = c.stacks_mb ?? Number.NaN;
    this.globalsMb[at] = c.globals_mb ?? Number.NaN;
    this.forced[at] = c.forced ? 1 : 0;
    this.next = at + 1 === this.capacity ? 0 : at + 1;
    if (this.held < this.capacity) this.held++;
  }

  /** The cycles held, oldest first, as `series` rows (docs/parsers.md § gctrace). */
  rows(): Facts[] {
    const out: Facts[] = [];
    for (let k = 0; k < this.held; k++) {
      const at = (this.next - this.held + k + this.capacity) % this.capacity;
      out.push({
        n: small(this.n[at]!),
        at_s: this.atS[at]!,
        cpu_percent: small(this.cpuPercent[at]!),
        stw_us: small(this.sweepTermUs[at]! + this.markTermUs[at]!),
        sweep_term_us: small(this.sweepTermUs[at]!),
        mark_us: small(this.markUs[at]!),
        mark_term_us: small(this.markTermUs[at]!),
        heap_start_mb: small(this.heapStartMb[at]!),
        heap_end_mb: small(this.heapEndMb[at]!),
        live_mb: small(this.liveMb[at]!),
        goal_mb: small(this.goalMb[at]!),
        stacks_mb: nullIfNaN(this.stacksMb[at]!),
        globals_mb: nullIfNaN(this.globalsMb[at]!),
        procs: small(this.procs[at]!),
        forced: this.forced[at] === 1,
      });
    }
    return out;
  }
}

/**
 * The same number, as a small integer when it is one. A value read from a Float64Array is a
 * heap number, and the first rows made every numeric field of the row's shape a boxed double:
 * 14 allocations per row, half the time of building 10,000 rows (`%DebugPrint`, measured).
 * Values here are never −0 (read from digits), the one number `x | 0` would change.
 */
function small(x: number): number {
  return x === (x | 0) ? x | 0 : x;
}

function nullIfNaN(x: number): number | null {
  return Number.isNaN(x) ? null : small(x);
}
