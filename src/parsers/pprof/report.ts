// Function rows as facts: values in the profile's unit, percentages of pprof's total.
import type { FactValue } from '../types.js';
import { byCum, byFlat, type Attribution, type FunctionRow } from './attribute.js';

export interface TopOptions {
  /** Rows per list; 0 = all. */
  top: number;
  nodeFraction: number;
}

/** `options.top` / `options.node_fraction` with pprof-like defaults (20 rows, 0.005). */
export function topOptions(options: Record<string, unknown> | undefined): TopOptions {
  const top = Number(options?.top ?? 20);
  const nodeFraction = Number(options?.node_fraction ?? 0.005);
  return {
    top: Number.isInteger(top) && top >= 0 ? top : 20,
    nodeFraction: Number.isFinite(nodeFraction) && nodeFraction >= 0 ? nodeFraction : 0.005,
  };
}

function pct(value: number, total: number): number {
  return total === 0 ? 0 : Math.round((value / total) * 10000) / 100;
}

/** Signed percentages (pprof prints their absolute value). */
export function rowFact(row: FunctionRow, total: number): { [key: string]: FactValue } {
  return {
    name: row.name,
    flat: row.flat,
    flat_pct: pct(row.flat, total),
    cum: row.cum,
    cum_pct: pct(row.cum, total),
    inline: row.inline,
  };
}

function limit<T>(rows: T[], top: number): T[] {
  return top === 0 ? rows : rows.slice(0, top);
}

/** The -top listing (flat order, with running sum%) and the -top -cum listing. */
export function topFacts(attribution: Attribution, total: number, top: number): { [key: string]: FactValue } {
  const flatOrder = [...attribution.rows].sort(byFlat);
  let running = 0;
  const rows = flatOrder.map((row) => {
    running += row.flat;
    return { ...rowFact(row, total), sum_pct: pct(running, total) };
  });
  return {
    top_flat: limit(rows, top),
    top_cum: limit([...attribution.rows].sort(byCum), top).map((r) => rowFact(r, total)),
    dropped_nodes: attribution.droppedNodes,
    shown_total: attribution.shownTotal,
  };
}
