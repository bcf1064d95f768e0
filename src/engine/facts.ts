// Facts in the journal are compacted so one step cannot bloat it (a maps parse can hold
// thousands of regions); the full set goes to an artifact json, which resume reads back.
import type { FactValue, Facts } from '../parsers/types.js';

export const MAX_JOURNAL_ARRAY = 20;
const MAX_JOURNAL_STRING = 2000;

export function compactFacts(facts: Facts, fullPath: string): { facts: Facts; compacted: boolean } {
  let compacted = false;
  const compact = (value: FactValue): FactValue => {
    if (typeof value === 'string' && value.length > MAX_JOURNAL_STRING) {
      compacted = true;
      return `${value.slice(0, MAX_JOURNAL_STRING)}… (${value.length} chars; full value in ${fullPath})`;
    }
    if (Array.isArray(value)) {
      const kept = value.slice(0, MAX_JOURNAL_ARRAY).map(compact);
      if (value.length > MAX_JOURNAL_ARRAY) {
        compacted = true;
        kept.push(`… ${value.length - MAX_JOURNAL_ARRAY} more (${value.length} in all; full list in ${fullPath})`);
      }
      return kept;
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
    }
    return value;
  };
  const result = compact(facts) as Facts;
  return { facts: result, compacted };
}
