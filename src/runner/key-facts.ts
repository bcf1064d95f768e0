// Which facts a one-line summary shows: the parser's keyFacts when the step parsed its
// output, else compute's names, else the first few scalar facts.
import { getParser } from '../parsers/registry.js';
import type { FactValue, Facts } from '../parsers/types.js';
import type { Step } from '../runbook/types.js';

const MAX_SHOWN = 6;
const MAX_VALUE_CHARS = 60;

function parserOf(step: Step): string | undefined {
  if (step.kind === 'run') return step.run.parse;
  if (step.kind === 'read') return step.read.parse;
  if (step.kind === 'fetch') return step.fetch.parse;
  return undefined;
}

function show(value: FactValue): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

export function keyFacts(step: Step, facts: Facts): Array<[string, string]> {
  const parser = parserOf(step);
  const preferred = parser ? (getParser(parser)?.keyFacts ?? []) : [];
  let names = preferred.filter((name) => name in facts);
  if (names.length === 0) {
    names = Object.keys(facts).filter((name) => {
      const value = facts[name];
      return value === null || typeof value !== 'object';
    });
  }
  return names.slice(0, MAX_SHOWN).map((name) => [name, show(facts[name] ?? null)]);
}
