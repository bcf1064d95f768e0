// Links to the Prometheus UI's graph of each query a session ran, over the incident's time
// range: from the alert's start (or the earliest window a query read) to the session's end,
// so whoever reads the notes sees the same series with what happened before and after.
import type { JournalRecord } from '../journal/records.js';

export interface PrometheusGraph {
  step: string;
  promql: string;
  /** `BASE/graph?g0.expr=…&g0.tab=0&g0.range_input=…&g0.end_input=…`. */
  url: string;
}

export function prometheusGraphs(records: readonly JournalRecord[], incidentStart: string | undefined, end: string): PrometheusGraph[] {
  const queries = records.flatMap((record) => {
    if (record.type !== 'step.finished' || record.kind !== 'query') return [];
    const { url, promql } = record.meta ?? {};
    if (typeof url !== 'string' || typeof promql !== 'string') return [];
    const asked = parsedUrl(url);
    const api = asked?.pathname.indexOf('/api/v1/') ?? -1;
    if (asked === undefined || api === -1) return [];
    const windowStart = Number(asked.searchParams.get('start'));
    return [{ step: record.step, promql, base: `${asked.origin}${asked.pathname.slice(0, api)}`, windowStart: Number.isFinite(windowStart) && windowStart > 0 ? windowStart * 1000 : undefined }];
  });
  if (queries.length === 0) return [];
  const endMs = Date.parse(end);
  const starts = [incidentStart === undefined ? NaN : Date.parse(incidentStart), ...queries.map((q) => q.windowStart ?? NaN)].filter(Number.isFinite);
  const startMs = starts.length > 0 ? Math.min(...starts) : endMs - 60 * 60_000;
  const range = rangeInput(endMs - startMs);
  const endInput = new Date(endMs).toISOString().slice(0, 19).replace('T', ' ');
  // One link per query and step: a step run twice asked the same thing.
  const seen = new Set<string>();
  return queries.flatMap(({ step, promql, base }) => {
    if (seen.has(`${step}\n${promql}`)) return [];
    seen.add(`${step}\n${promql}`);
    const params = [['g0.expr', promql], ['g0.tab', '0'], ['g0.range_input', range], ['g0.end_input', endInput]];
    return [{ step, promql, url: `${base}/graph?${params.map(([k, v]) => `${k}=${encodeURIComponent(v!)}`).join('&')}` }];
  });
}

/** A duration the Prometheus UI's range box reads (`2h15m`, `45m`), whole minutes, rounded up. */
export function rangeInput(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return `${days > 0 ? `${days}d` : ''}${hours > 0 ? `${hours}h` : ''}${rest > 0 ? `${rest}m` : ''}`;
}

function parsedUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
