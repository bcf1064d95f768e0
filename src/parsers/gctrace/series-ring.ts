// The latest N cycles of a log of any length, for `series`: a ring of typed columns rather
// than an array of cycle objects, so a million-cycle log does not carry tens of thousands of
// objects into the old generation (the garbage collector was a seventh of the parse, profiled).
import type { GcCycle } from './line.js';

const FIELDS = ['n', 'at_s', 'cpu_percent', 'sweep_term_us', 'mark_us', 'mark_term_us', 'heap_start_mb', 'heap_end_mb', 'live_mb', 'goal_mb', 'procs'] as const;

export class SeriesRing {
  private readonly columns: Float64Array[];
  /** null is NaN here: the numbers themselves are never NaN. */
  private readonly stacks: Float64Array;
  private readonly globals: Float64Array;
  private readonly forced: Uint8Array;
  private next = 0;
  private held = 0;

  constructor(private readonly capacity: number) {
    this.columns = FIELDS.map(() => new Float64Array(capacity));
    this.stacks = new Float64Array(capacity);
    this.globals = new Float64Array(capacity);
    this.forced = new Uint8Array(capacity);
  }

  push(c: GcCycle): void {
    if (this.capacity === 0) return;
    const at = this.next;
    for (let f = 0; f < FIELDS.length; f++) this.columns[f]![at] = c[FIELDS[f]!];
    this.stacks[at] = c.stacks_mb ?? Number.NaN;
    this.globals[at] = c.globals_mb ?? Number.NaN;
    this.forced[at] = c.forced ? 1 : 0;
    this.next = (at + 1) % this.capacity;
    if (this.held < this.capacity) this.held++;
  }

  /** The cycles held, oldest first. */
  cycles(): GcCycle[] {
    const out: GcCycle[] = [];
    for (let k = 0; k < this.held; k++) {
      const at = (this.next - this.held + k + this.capacity) % this.capacity;
      const row = Object.fromEntries(FIELDS.map((name, f) => [name, this.columns[f]![at]!])) as Record<(typeof FIELDS)[number], number>;
      out.push({ ...row, stacks_mb: nullIfNaN(this.stacks[at]!), globals_mb: nullIfNaN(this.globals[at]!), forced: this.forced[at] === 1 });
    }
    return out;
  }
}

function nullIfNaN(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
