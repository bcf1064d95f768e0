// `prometheus`: an answer of the Prometheus HTTP API (/api/v1/query, /api/v1/query_range,
// https://prometheus.io/docs/prometheus/latest/querying/api/) as facts: per series its labels,
// last value, min and max, and for a range its slope per hour and trend (series-trend.ts).
// Pure and total: any bytes give facts or a typed error, never a throw.
import { asText } from './input.js';
import { classifyTrend, isoTime, type TrendPoint } from './series-trend.js';
import type { FactValue, Facts, Parser, ParseResult, ParseWarning } from './types.js';

/** Series beyond this are counted, not listed: facts are journaled and shown. */
export const MAX_LISTED_SERIES = 50;

export const prometheusParser: Parser = {
  name: 'prometheus',
  summary: 'A Prometheus HTTP API answer (query or query_range): per series labels, last, min, max; for ranges slope per hour and trend.',
  keyFacts: ['series_count', 'trend', 'slope_per_hour', 'last', 'min', 'max'],
  parse(input, options = {}): ParseResult {
    const text = asText(input);
    if (text.trim() === '') return { facts: {}, warnings: [], error: { code: 'empty', message: 'no answer to parse (empty body)' } };
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch (error) {
      return { facts: {}, warnings: [], error: { code: 'unrecognised-format', message: `not JSON, so not a Prometheus API answer: ${(error as Error).message}` } };
    }
    if (!isObject(answer) || typeof answer['status'] !== 'string') {
      return { facts: {}, warnings: [], error: { code: 'unrecognised-format', message: 'not a Prometheus API answer: no "status" field' } };
    }
    const warnings: ParseWarning[] = stringList(answer['warnings']).map((message) => ({ message: `Prometheus: ${message}` }));
    if (answer['status'] !== 'success') {
      const type = typeof answer['errorType'] === 'string' ? `${answer['errorType']}: ` : '';
      const message = typeof answer['error'] === 'string' ? answer['error'] : `status ${answer['status']}`;
      return { facts: { status: answer['status'] }, warnings, error: { code: 'invalid', message: `Prometheus answered ${type}${message}` } };
    }
    const data = answer['data'];
    if (!isObject(data) || typeof data['resultType'] !== 'string') {
      return { facts: { status: 'success' }, warnings, error: { code: 'invalid', message: 'Prometheus answer without data.resultType' } };
    }
    const resultType = data['resultType'];
    const facts: Facts = { status: 'success', result_type: resultType };
    const result = data['result'];
    if (resultType === 'scalar' || resultType === 'string') {
      const sample = parseSample(result);
      facts['series_count'] = 0;
      if (sample === undefined) warnings.push({ message: `a ${resultType} result that is not [time, "value"]` });
      else {
        facts['value'] = resultType === 'scalar' && Number.isFinite(sample.value) ? sample.value : sample.text;
        facts['at'] = isoTime(sample.t);
      }
      return { facts, warnings };
    }
    if (resultType !== 'vector' && resultType !== 'matrix') {
      return { facts, warnings, error: { code: 'unsupported-format', message: `result type '${resultType}' (expected vector, matrix, scalar or string)` } };
    }
    if (!Array.isArray(result)) return { facts, warnings, error: { code: 'invalid', message: `data.result of a ${resultType} is not a list` } };
    const floor = noiseFloor(options['noise_floor'], warnings);
    const namesDates = options['query_names_dates'] === true;
    const series: Facts[] = [];
    let skipped = 0;
    for (const [index, item] of result.entries()) {
      if (series.length >= MAX_LISTED_SERIES) break;
      const one = seriesFacts(item, resultType, floor, namesDates);
      if (one === undefined) {
        skipped++;
        continue;
      }
      if (one.dropped > 0) warnings.push({ message: `series ${index}: ${one.dropped} sample(s) that are not numbers (NaN, ±Inf or malformed) left out` });
      series.push(one.facts);
    }
    if (skipped > 0) warnings.push({ message: `${skipped} series without samples Prometheus can be read from (native histograms or malformed) left out` });
    if (result.length === 0) warnings.push({ message: 'no series matched the query: check its metric name and label values (a target down, a mistyped job)' });
    if (result.length > MAX_LISTED_SERIES) warnings.push({ message: `${result.length} series: the first ${MAX_LISTED_SERIES} are listed; narrow the query with label matchers or an aggregation` });
    facts['series_count'] = result.length;
    facts['series'] = series;
    // One series (the usual history query): its facts are the step's own too (rss.trend),
    // first, so tables and notes that show a step's first facts show its trend.
    if (result.length === 1 && series.length === 1) return { facts: { ...series[0], ...facts }, warnings };
    return { facts, warnings };
  },
};

function seriesFacts(item: unknown, resultType: string, floor: number | undefined, namesDates: boolean): { facts: Facts; dropped: number } | undefined {
  if (!isObject(item)) return undefined;
  const labels: Record<string, FactValue> = {};
  if (isObject(item['metric'])) {
    for (const [name, value] of Object.entries(item['metric'])) if (typeof value === 'string') labels[name] = value;
  }
  const raw = resultType === 'matrix' ? item['values'] : [item['value']];
  if (!Array.isArray(raw)) return undefined;
  const points: TrendPoint[] = [];
  let dropped = 0;
  for (const entry of raw) {
    const sample = parseSample(entry);
    if (sample === undefined || !Number.isFinite(sample.value)) dropped++;
    else points.push({ t: sample.t, v: sample.value });
  }
  if (points.length === 0) return undefined;
  points.sort((a, b) => a.t - b.t);
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    min = Math.min(min, p.v);
    max = Math.max(max, p.v);
  }
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const facts: Facts = {};
  if (resultType === 'matrix') {
    const dates = isTimestamp(labels['__name__']) || (labels['__name__'] === undefined && namesDates && areDates(points));
    const trend = classifyTrend(points, floor ?? (dates ? 0 : undefined));
    Object.assign(facts, {
      trend: trend.trend,
      trend_meaning: trend.meaning,
      ...(trend.slopePerHour !== undefined ? { slope_per_hour: trend.slopePerHour } : {}),
      ...(trend.windowSlopePerHour !== undefined ? { window_slope_per_hour: trend.windowSlopePerHour } : {}),
      ...(trend.since !== undefined ? { since: isoTime(trend.since), since_hours: (last.t - trend.since) / 3600 } : {}),
      resets: trend.resets,
      reset_times: trend.resetTimes.map(isoTime),
      ...(trend.steps !== undefined ? { steps: trend.steps } : {}),
      ...(trend.floorSlopePerHour !== undefined ? { floor_slope_per_hour: trend.floorSlopePerHour } : {}),
      ...(trend.r2 !== undefined ? { r2: trend.r2 } : {}),
      noise_floor: trend.noiseFloor,
    });
    // A date series (a start time) moves forward at each restart: every move counts, however
    // many there are and wherever they fall in the window. A second of slack: the start time
    // is computed from the boot time and jitters by one.
    if (dates) {
      const rises = points.filter((point, i) => i > 0 && point.v - points[i - 1]!.v > 1);
      facts.rises = rises.length;
      if (rises.length > 0) Object.assign(facts, { last_rise_at: isoTime(rises.at(-1)!.t), last_rise_hours: (last.t - rises.at(-1)!.t) / 3600 });
    }
  }
  Object.assign(facts, {
    last: last.v,
    last_at: isoTime(last.t),
    min,
    max,
    ...(resultType === 'matrix' ? { first: first.v, first_at: isoTime(first.t), seconds: last.t - first.t } : {}),
    samples: points.length,
    ...(dropped > 0 ? { dropped_samples: dropped } : {}),
    labels,
    ...(typeof labels['__name__'] === 'string' ? { name: labels['__name__'] } : {}),
  });
  return { facts, dropped };
}

/** A point in time by Prometheus naming (process_start_time_seconds, *_timestamp_seconds):
 *  its level is a date, not a scale, so 2 % of it (months) is no noise floor: any change counts. */
function isTimestamp(name: FactValue | undefined): boolean {
  return typeof name === 'string' && /_(time|timestamp)_seconds$/.test(name);
}

/** Twenty years: older than any process start or last GC a scrape reports. */
const DATE_SPAN_S = 20 * 365 * 86400;

/** Every value a Unix time at most twenty years before its sample and not after it (an hour
 *  of clock skew allowed): a start time or a last-GC time, which an aggregation such as
 *  max by (instance) (…) stripped of its name. Bytes or counts of that size (1.5 GB of RSS)
 *  are told apart by the query naming a date metric at all. */
function areDates(points: readonly TrendPoint[]): boolean {
  return points.every((p) => p.v <= p.t + 3600 && p.v >= p.t - DATE_SPAN_S);
}

/** `[1712345678.123, "42.5"]`: Prometheus writes values as strings ("NaN", "+Inf" included). */
function parseSample(entry: unknown): { t: number; value: number; text: string } | undefined {
  if (!Array.isArray(entry) || entry.length !== 2) return undefined;
  const [t, text] = entry as [unknown, unknown];
  if (typeof t !== 'number' || !Number.isFinite(t) || typeof text !== 'string') return undefined;
  const value = text.trim() === '' ? NaN : Number(text.replace(/^\+?Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity'));
  return { t, value, text };
}

function noiseFloor(option: unknown, warnings: ParseWarning[]): number | undefined {
  if (option === undefined) return undefined;
  const value = typeof option === 'string' ? Number(option) : option;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  warnings.push({ message: `noise_floor ${JSON.stringify(option)} is not a number ≥ 0: 2 % of the median level is used` });
  return undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
