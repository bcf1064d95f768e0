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
  expect(mine.map((r) => r.name)).toEqual(theirs.map((r) => r.name));
  const total = Number(ours.total);
  let running = 0;
  mine.forEach((row, i) => {
    const peer = theirs[i]!;
    const context = `row ${i} ${String(row.name)}`;
    for (const key of ['flat', 'cum'] as const) {
      expect(Math.abs(Number(row[key]) - Number(peer[key])), `${context} ${key}`).toBeLessThanOrEqual(tolerance);
    }
    running += Number(row.flat);
    expect(pprofPercent(Number(row.flat), total), `${context} flat%`).toBe(peer.flat_pct);
    expect(pprofPercent(running, total), `${context} sum%`).toBe(peer.sum_pct);
    expect(pprofPercent(Number(row.cum), total), `${context} cum%`).toBe(peer.cum_pct);
    expect(row.inline, `${context} inline`).toBe(peer.inline);
  });
  expect(Math.abs(Number(ours.total) - Number(expected.facts.total))).toBeLessThanOrEqual(tolerance);
  expect(ours.dropped_nodes).toBe(expected.facts.dropped_nodes ?? 0);
}
