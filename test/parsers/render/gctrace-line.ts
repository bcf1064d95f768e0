// Renders a gctrace line the way the Go runtime prints it (runtime/mgc.go, fmtNSAsMS), so
// property tests can check parse(render(x)) === x.
import fc from 'fast-check';

export interface RenderedCycle {
  n: number;
  at_ms: number;
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

/** fmtNSAsMS for whole microseconds: ≥ 10 ms as integer ms, else 2 significant digits, ≤ 3 decimals. */
export function formatMicrosAsMs(us: number): string {
  if (us >= 10_000) return String(Math.floor(us / 1000));
  if (us === 0) return '0';
  let x = us;
  let dec = 3;
  while (x >= 100) {
    x = Math.floor(x / 10);
    dec--;
  }
  const digits = String(x).padStart(dec + 1, '0');
  return dec === 0 ? digits : `${digits.slice(0, -dec)}.${digits.slice(-dec)}`;
}

/** The value fmtNSAsMS keeps of a µs figure (what a parser can recover). */
export function printedMicros(us: number): number {
  const text = formatMicrosAsMs(us);
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
}

export function renderGcLine(c: RenderedCycle): string {
  const at = `${Math.floor(c.at_ms / 1000)}.${String(c.at_ms % 1000).padStart(3, '0')}`;
  const clock = [c.sweep_term_us, c.mark_us, c.mark_term_us].map(formatMicrosAsMs).join('+');
  const extra =
    (c.stacks_mb === null ? '' : `${c.stacks_mb} MB stacks, `) + (c.globals_mb === null ? '' : `${c.globals_mb} MB globals, `);
  return (
    `gc ${c.n} @${at}s ${c.cpu_percent}%: ${clock} ms clock, 0.060+0.25/0.81/0.30+0.008 ms cpu, ` +
    `${c.heap_start_mb}->${c.heap_end_mb}->${c.live_mb} MB, ${c.goal_mb} MB goal, ${extra}${c.procs} P` +
    (c.forced ? ' (forced)' : '')
  );
}

const mb = fc.integer({ min: 0, max: 1 << 20 });
const micros = fc.integer({ min: 0, max: 10_000_000 });

export const cycleArbitrary: fc.Arbitrary<RenderedCycle> = fc.record({
  n: fc.integer({ min: 1, max: 1_000_000 }),
  at_ms: fc.integer({ min: 0, max: 1e12 }),
  cpu_percent: fc.integer({ min: 0, max: 100 }),
  sweep_term_us: micros,
  mark_us: micros,
  mark_term_us: micros,
  heap_start_mb: mb,
  heap_end_mb: mb,
  live_mb: mb,
  goal_mb: mb,
  stacks_mb: fc.option(mb, { nil: null }),
  globals_mb: fc.option(mb, { nil: null }),
  procs: fc.integer({ min: 1, max: 1024 }),
  forced: fc.boolean(),
});
