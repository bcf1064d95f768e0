// Which facts read faster as a picture (issue 6): STW pause and live heap per GC cycle
// from gctrace's `series`, and bars for what grew in a diff (memory regions from the
// maps diff, functions from the pprof diff). Looked for at the top level and one level
// down (a snapshot step's facts are grouped by collector).
import type { FactValue, Facts } from '../parsers/types.js';
import type { Bar } from './sparkline.js';

export type Picture =
  | { kind: 'sparkline'; title: string; values: number[]; unit: string }
  | { kind: 'bars'; title: string; bars: Bar[]; unit: string };

const MAX_BARS = 5;

type Row = Record<string, FactValue>;

function rowsOf(value: FactValue | undefined): Row[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is Row => v !== null && typeof v === 'object' && !Array.isArray(v));
}

function numberIn(row: Row, field: string): number | undefined {
  const value = row[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function seriesPictures(prefix: string, facts: Facts): Picture[] {
  const series = rowsOf(facts.series);
  if (series.length < 2) return [];
  const pictures: Picture[] = [];
  const stw = series.map((row) => numberIn(row, 'stw_us'));
  if (stw.every((v) => v !== undefined)) {
    pictures.push({ kind: 'sparkline', title: `${prefix}STW pause per GC cycle`, values: stw.map((us) => us / 1000), unit: 'ms' });
  }
  const live = series.map((row) => numberIn(row, 'live_mb'));
  if (live.every((v) => v !== undefined)) {
    pictures.push({ kind: 'sparkline', title: `${prefix}live heap per GC cycle`, values: live, unit: 'MB' });
  }
  return pictures;
}

// Growth lists, by fact name: which field names the row and which measures it.
const GROWTH_LISTS: Array<{ fact: string; title: string; label: string[]; value: string; unit: string }> = [
  { fact: 'grown_regions', title: 'memory regions that grew', label: ['path', 'area'], value: 'delta_kb', unit: ' KiB' },
  { fact: 'new_regions', title: 'new memory regions', label: ['path', 'area'], value: 'delta_kb', unit: ' KiB' },
  { fact: 'growing_flat', title: 'functions that grew (flat)', label: ['function', 'name'], value: 'flat', unit: '' },
];

function growthPictures(prefix: string, facts: Facts): Picture[] {
  const pictures: Picture[] = [];
  for (const list of GROWTH_LISTS) {
    const rows = rowsOf(facts[list.fact]);
    const bars: Bar[] = [];
    for (const row of rows.slice(0, MAX_BARS)) {
      const value = numberIn(row, list.value);
      const labelField = list.label.find((f) => typeof row[f] === 'string' && row[f] !== '');
      if (value === undefined) continue;
      bars.push({ label: labelField ? String(row[labelField]) : '(anonymous)', value });
    }
    if (bars.length > 0) pictures.push({ kind: 'bars', title: `${prefix}${list.title}`, bars, unit: list.unit });
  }
  return pictures;
}

export function picturesFor(facts: Facts): Picture[] {
  const pictures = [...seriesPictures('', facts), ...growthPictures('', facts)];
  for (const [name, value] of Object.entries(facts)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    pictures.push(...seriesPictures(`${name}: `, value), ...growthPictures(`${name}: `, value));
  }
  return pictures;
}
