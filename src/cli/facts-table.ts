// Facts → a readable table for the terminal, for any parser or diff: key facts first, then
// the other scalars, then each list as a bounded sub-table (first and last rows), nested
// objects as one-line summaries. The full data is always one `--json` away.
import type { FactValue, Facts } from '../parsers/types.js';

const MAX_CELL = 48;
const LIST_HEAD = 5;
const LIST_TAIL = 5;

export interface TableOptions {
  title: string;
  keyFacts: readonly string[];
  width: number;
}

export function renderFactsTable(facts: Facts, options: TableOptions): string {
  const out: string[] = [options.title];
  const keys = Object.keys(facts);
  const first = options.keyFacts.filter((k) => k in facts && !isTabular(facts[k]!));
  const rest = keys.filter((k) => !first.includes(k) && !isTabular(facts[k]!) && !isObject(facts[k]!));
  const nameWidth = Math.max(0, ...[...first, ...rest].map((k) => k.length));
  for (const k of first) out.push(`  ${k.padEnd(nameWidth)}  ${cell(facts[k]!)}`);
  if (first.length > 0 && rest.length > 0) out.push('');
  for (const k of rest) out.push(`  ${k.padEnd(nameWidth)}  ${cell(facts[k]!)}`);
  for (const k of keys) {
    const value = facts[k]!;
    if (isObject(value)) out.push('', `${k}: ${Object.keys(value).length} fields`, ...objectLines(value, options.width));
    else if (isTabular(value)) out.push('', ...listLines(k, value, options.width));
  }
  return `${out.join('\n')}\n`;
}

function isObject(value: FactValue): value is { [key: string]: FactValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isTabular(value: FactValue): value is FactValue[] {
  return Array.isArray(value) && (value.length === 0 || value.some((v) => isObject(v) || Array.isArray(v)) || value.length > 8);
}

/** Scalars as text; short arrays of scalars inline; anything nested as compact JSON. */
function cell(value: FactValue): string {
  let text: string;
  if (value === null) text = '-';
  else if (typeof value === 'string') text = value === '' ? '""' : value.replace(/[\t\n\r]/g, ' ');
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (Array.isArray(value) && value.every((v) => !isObject(v) && !Array.isArray(v))) text = value.map(cell).join(', ');
  else text = JSON.stringify(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

function objectLines(value: { [key: string]: FactValue }, width: number): string[] {
  const entries = Object.entries(value);
  const nameWidth = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `  ${k.padEnd(nameWidth)}  ${cell(v)}`.slice(0, width));
}

function listLines(name: string, rows: FactValue[], width: number): string[] {
  const header = `${name}: ${rows.length} ${rows.length === 1 ? 'item' : 'items'}`;
  if (rows.length === 0) return [header];
  const shown = rows.length <= LIST_HEAD + LIST_TAIL ? rows : [...rows.slice(0, LIST_HEAD), ...rows.slice(-LIST_TAIL)];
  const objects = shown.map((r) => (isObject(r) ? r : { value: r }));
  const columns: string[] = [];
  for (const o of objects) for (const k of Object.keys(o)) if (!columns.includes(k)) columns.push(k);
  const cells = objects.map((o) => columns.map((c) => (c in o ? cell(o[c]!) : '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  // Keep the columns that fit the terminal; the rest are in --json.
  let used = 2;
  let fit = 0;
  while (fit < columns.length && used + widths[fit]! + 2 <= width) used += widths[fit++]! + 2;
  fit = Math.max(fit, 1);
  const line = (values: string[]): string => `  ${values.slice(0, fit).map((v, i) => v.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  const lines = [header + (fit < columns.length ? ` (${columns.length - fit} more columns in --json)` : ''), line(columns)];
  cells.forEach((r, i) => {
    if (i === LIST_HEAD && rows.length > shown.length) lines.push(`  … ${rows.length - shown.length} more …`);
    lines.push(line(r));
  });
  return lines;
}
