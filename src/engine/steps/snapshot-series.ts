// A snapshot step's `series:` (docs/engine.md "Snapshot series"): how many snapshots it
// takes and how far apart, and the series facts built from every snapshot's parsed facts.
import { growthSeriesFacts, type SeriesPoint } from '../../diffs/growth-series.js';
import { seriesMeasures } from '../../collectors/series-measures.js';
import type { Scope } from '../../expr/index.js';
import type { FactValue, Facts } from '../../parsers/types.js';
import type { Collector, SeriesSpec } from '../../runbook/types.js';
import { maxSeriesCount } from '../../runbook/types.js';
import { renderText } from '../../template/index.js';
import { parseDuration } from '../../util/duration.js';

export interface SeriesPlan {
  /** Snapshots in the series, the compare_to step's counted. */
  count: number;
  /** Snapshots this step takes. */
  taken: number;
  everyMs: number;
  floorMb: number;
}

type Resolved<T> = { ok: true; value: T } | { ok: false; error: string };

function renderNumber(value: number | string, scope: Scope, what: string): Resolved<number> {
  if (typeof value === 'number') return { ok: true, value };
  const text = renderText(value, scope);
  if (!text.ok) return { ok: false, error: `series.${what}: ${text.error}` };
  const parsed = Number(text.text.trim());
  return text.text.trim() !== '' && Number.isFinite(parsed) ? { ok: true, value: parsed } : { ok: false, error: `series.${what}: '${text.text}' is not a number` };
}

/** The step's series with its templates filled in; an error names the field and the value. */
export function planSeries(spec: SeriesSpec, scope: Scope, hasBase: boolean): Resolved<SeriesPlan> {
  const count = renderNumber(spec.count, scope, 'count');
  if (!count.ok) return count;
  if (!Number.isInteger(count.value) || count.value < 2 || count.value > maxSeriesCount) {
    return { ok: false, error: `series.count: ${count.value} must be a whole number from 2 to ${maxSeriesCount}` };
  }
  const every = renderText(spec.every, scope);
  if (!every.ok) return { ok: false, error: `series.every: ${every.error}` };
  const duration = parseDuration(every.text);
  if (!duration.ok) return { ok: false, error: `series.every: ${duration.error}` };
  const floor = renderNumber(spec.noise_floor_mb, scope, 'noise_floor_mb');
  if (!floor.ok) return floor;
  if (floor.value < 0) return { ok: false, error: `series.noise_floor_mb: ${floor.value} must not be negative` };
  return { ok: true, value: { count: count.value, taken: hasBase ? count.value - 1 : count.value, everyMs: duration.ms, floorMb: floor.value } };
}

/**
 * `series` facts: per measured collector (series-measures.ts) the growth facts over the
 * snapshots' parsed facts, oldest first (the compare_to step's first when there is one),
 * timed by their `taken_at`. `missing` says why the series is shorter than asked.
 */
export function seriesFacts(snapshots: Facts[], collect: readonly Collector[], plan: SeriesPlan, missing?: string): { facts: Facts; warnings: string[] } {
  const warnings: string[] = [];
  const facts: Facts = { count: snapshots.length, asked: plan.count, every_s: plan.everyMs / 1000 };
  if (missing !== undefined) facts['missing'] = missing;
  const startMs = Date.parse(String(snapshots[0]?.['taken_at'] ?? ''));
  for (const collector of collect) {
    const measure = seriesMeasures[collector];
    if (measure === undefined) continue;
    const points: SeriesPoint[] = [];
    snapshots.forEach((snapshot, index) => {
      const parsed = snapshot[collector];
      const kb = isFacts(parsed) ? measure.kb(parsed) : undefined;
      const t = (Date.parse(String(snapshot['taken_at'] ?? '')) - startMs) / 1000;
      if (kb === undefined) warnings.push(`series.${collector}: snapshot ${index} has no ${collector} facts: left out`);
      else points.push({ t_s: t, kb });
    });
    // One point is no series: the collector gets no series facts, so coalesce() falls through.
    if (points.length < 2) continue;
    const growth = growthSeriesFacts(points, plan.floorMb);
    warnings.push(...growth.warnings.map((w) => `series.${collector}: ${w}`));
    facts[collector] = { measure: measure.what, ...growth.facts };
  }
  return { facts, warnings };
}

function isFacts(value: FactValue | undefined): value is Facts {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
