// The rows of a finished step's compact facts table: the parser's keyFacts first (the
// same choice the plain runner makes), then other scalar facts, one level into groups
// (a snapshot's `status.vm_rss_kb`), up to a fixed number of rows.
import type { FactValue, Facts } from '../parsers/types.js';
import type { Step } from '../runbook/types.js';
import { keyFacts } from '../runner/key-facts.js';
import { formatNumber } from './sparkline.js';

export const MAX_FACT_ROWS = 8;
const MAX_VALUE_CHARS = 48;

function scalar(value: FactValue): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS - 1)}…` : value;
  return undefined;
}

export function factRows(step: Step, facts: Facts, max = MAX_FACT_ROWS): Array<[string, string]> {
  const rows = new Map<string, string>();
  for (const [name] of keyFacts(step, facts)) {
    const shown = scalar(facts[name] ?? null);
    if (shown !== undefined) rows.set(name, shown);
  }
  const add = (name: string, value: FactValue): void => {
    if (rows.size >= max || rows.has(name) || name === 'series_truncated') return;
    const shown = scalar(value);
    if (shown !== undefined) rows.set(name, shown);
  };
  for (const [name, value] of Object.entries(facts)) add(name, value);
  for (const [group, value] of Object.entries(facts)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [name, inner] of Object.entries(value)) add(`${group}.${name}`, inner);
  }
  return [...rows.entries()].slice(0, max);
}
