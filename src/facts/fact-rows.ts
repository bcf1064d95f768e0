// The rows of a finished step's compact facts table: the parser's keyFacts first (the
// same choice the plain runner makes). A snapshot's facts are grouped by collector
// (`status`, `status_diff`, …): each group shows the keyFacts of its collector's parser
// or diff (`status.vm_rss_kb`), a few per group, up to a fixed number of rows. Values are
// in human units (human-value.ts); a fact that could not be read (null) has no row.
import { collectorSpecs } from '../collectors/evidence.js';
import { getDiffer } from '../diffs/registry.js';
import type { FactValue, Facts } from '../parsers/types.js';
import { getParser } from '../parsers/registry.js';
import type { Collector, Step } from '../runbook/types.js';
import { humanValue } from './human-value.js';
import { keyFacts } from './key-facts.js';

export const MAX_FACT_ROWS = 8;
const PER_GROUP = 3;

/** The keyFacts of the parser (or diff) behind a snapshot group, when the group is one. */
function groupKeyFacts(group: string): string[] {
  const diff = group.endsWith('_diff');
  const spec = collectorSpecs[(diff ? group.slice(0, -'_diff'.length) : group) as Collector] as (typeof collectorSpecs)[Collector] | undefined;
  if (!spec) return [];
  if (diff) return spec.diff !== undefined ? (getDiffer(spec.diff)?.keyFacts ?? []) : [];
  return typeof spec.parser === 'string' ? (getParser(spec.parser)?.keyFacts ?? []) : spec.parser.keyFacts;
}

export function isGroup(value: FactValue | undefined): value is { [key: string]: FactValue } {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

export function factRows(step: Step, facts: Facts, max = MAX_FACT_ROWS): Array<[string, string]> {
  const rows = new Map<string, string>();
  const add = (name: string, value: string | undefined): boolean => {
    if (rows.size >= max || rows.has(name) || value === undefined) return false;
    rows.set(name, value);
    return true;
  };
  for (const [name, shown] of keyFacts(step, facts)) add(name, shown);
  const groups = Object.entries(facts).filter((entry): entry is [string, { [key: string]: FactValue }] => isGroup(entry[1]) && entry[0] !== 'missing');
  for (const [group, value] of groups) {
    const preferred = groupKeyFacts(group).filter((name) => name in value);
    const names = preferred.length > 0 ? preferred : Object.keys(value);
    const unit = typeof value['unit'] === 'string' ? value['unit'] : undefined;
    let shown = 0;
    for (const name of names) {
      if (shown >= PER_GROUP) break;
      if (add(`${group}.${name}`, humanValue(name, value[name], { group, ...(unit !== undefined ? { unit } : {}) }))) shown += 1;
    }
  }
  return [...rows.entries()].slice(0, max);
}
