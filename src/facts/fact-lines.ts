// Every fact of a step as one line each, for the TUI's facts view: the key facts first
// (the compact table's rows), then every other fact by its dotted name in human units.
// A list of records is one line per entry (a pprof row: `main.leak  +79.8 MiB (52 %)`);
// facts that could not be read (null) have no line; `missing.X` says why X is absent.
import type { FactValue, Facts } from '../parsers/types.js';
import type { Step } from '../runbook/types.js';
import { factRows, isGroup } from './fact-rows.js';
import { humanValue, type HumanContext } from './human-value.js';

export interface FactLine {
  name: string;
  value: string;
  /** Among the step's key facts (drawn first). */
  key: boolean;
}

export function factLines(step: Step, facts: Facts): FactLine[] {
  const key = factRows(step, facts, Number.POSITIVE_INFINITY);
  const keyNames = new Set(key.map(([name]) => name));
  const lines: FactLine[] = key.map(([name, value]) => ({ name, value, key: true }));
  const visit = (name: string, value: FactValue, context: HumanContext): void => {
    if (value === null || keyNames.has(name)) return;
    if (isGroup(value)) {
      const unit = typeof value['unit'] === 'string' ? value['unit'] : context.unit;
      const group = context.group ?? name;
      for (const [field, inner] of Object.entries(value)) visit(`${name}.${field}`, inner, { group, ...(unit !== undefined ? { unit } : {}) });
      return;
    }
    if (Array.isArray(value) && value.some((item) => item !== null && typeof item === 'object')) {
      value.forEach((item, i) => {
        const text = isGroup(item) ? entryText(item, context) : humanValue(name, item, context);
        if (text !== undefined && text !== '') lines.push({ name: `${name}[${i}]`, value: text, key: false });
      });
      return;
    }
    const text = humanValue(name.split('.').pop() ?? name, value, context);
    if (text !== undefined && text !== '') lines.push({ name, value: text, key: false });
  };
  for (const [name, value] of Object.entries(facts)) visit(name, value, {});
  return lines;
}

/** One entry of a list of records: its `name` (function, region, state) then its scalar fields. */
function entryText(entry: { [key: string]: FactValue }, context: HumanContext): string {
  const label = typeof entry['name'] === 'string' ? entry['name'] : undefined;
  const fields = Object.entries(entry)
    .filter(([field, value]) => field !== 'name' && value !== null && value !== '' && typeof value !== 'object')
    .map(([field, value]) => `${field} ${humanValue(field, value, context) ?? ''}`);
  return [label, fields.join(' · ')].filter((part) => part !== undefined && part !== '').join('  ');
}

/** The lines whose name or value holds every word of `filter` (case-insensitive). */
export function filterFactLines(lines: readonly FactLine[], filter: string): FactLine[] {
  const words = filter.toLowerCase().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return [...lines];
  return lines.filter((line) => {
    const text = `${line.name} ${line.value}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}
