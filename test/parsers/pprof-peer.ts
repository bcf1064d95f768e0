// Compares our pprof rows with `go tool pprof -top` text read by the pprof-top parser.
// pprof prints |percent| with its own rounding (measurement.Percentage: "100%" within ±0.05,
// %.2f from 1%, 2 significant digits below), so percentages are recomputed from our values
// and printed the same way before comparing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { pprofTopParser } from '../../src/parsers/pprof-top.js';
import type { FactValue, Facts } from '../../src/parsers/types.js';

export const fixture = (path: string): Buffer => readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)));

type Row = { [key: string]: FactValue };

function pprofPercent(value: number, total: number): number {
  const ratio = total === 0 ? 0 : Math.abs(value / total) * 100;
  if (ratio >= 99.95 && ratio <= 100.05) return 100;
  return ratio >= 1 ? Number(ratio.toFixed(2)) : Number(ratio.toPrecision(2));
}

/** Every row, in order, with exact values; `tolerance` is for scaled units (kB, ms). */
export function expectSameTop(ours: Facts, expectedText: Buffer, tolerance = 0): void {
  const expected = pprofTopParser.parse(expectedText);
  expect(expected.error).toBeUndefined();
  const theirs = expected.facts.rows as Row[];
  const mine = ours.top_flat as Row[];
  const total = Number(ours.total);
  let running = 0;
  // One comparison of whole tables: per-row expects make 23k-row tables take 20 s.
  const within = (value: number, peer: number): number => (Math.abs(value - peer) <= tolerance ? peer : value);
  const table = mine.map((row, i) => {
    const peer = theirs[i];
    running += Number(row.flat);
    return [
      row.name,
      within(Number(row.flat), Number(peer?.flat)),
      pprofPercent(Number(row.flat), total),
      pprofPercent(running, total),
      within(Number(row.cum), Number(peer?.cum)),
      pprofPercent(Number(row.cum), total),
      row.inline,
    ];
  });
  expect(table).toEqual(theirs.map((r) => [r.name, r.flat, r.flat_pct, r.sum_pct, r.cum, r.cum_pct, r.inline]));
  expect(Math.abs(Number(ours.total) - Number(expected.facts.total))).toBeLessThanOrEqual(tolerance);
  expect(ours.dropped_nodes).toBe(expected.facts.dropped_nodes ?? 0);
}
