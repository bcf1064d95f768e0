// Which facts a one-line summary shows: the parser's keyFacts when the step parsed its
// output, else compute's names, else the first few scalar facts.
import { collectorSpecs } from '../collectors/evidence.js';
import { getParser } from '../parsers/registry.js';
import type { FactValue, Facts } from '../parsers/types.js';
import type { Step } from '../runbook/types.js';
import { humanValue, type HumanContext } from './human-value.js';

const MAX_SHOWN = 6;
const MAX_VALUE_CHARS = 60;

function parserOf(step: Step): string | undefined {
  if (step.kind === 'run') return step.run.parse;
  if (step.kind === 'read') return step.read.parse;
  if (step.kind === 'fetch') return step.fetch.parse;
  if (step.kind === 'query') return 'prometheus';
  return undefined;
}

function show(name: string, value: FactValue, context: HumanContext = {}): string | undefined {
  if (value !== null && typeof value === 'object' && !(Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object'))) {
    const text = JSON.stringify(value);
    return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
  }
  return humanValue(name, value, context);
}

const PER_COLLECTOR = 2;

/** Snapshot steps: each collector's first key facts (`status.vm_rss_kb`), or why it is missing. */
function snapshotKeyFacts(step: Extract<Step, { kind: 'snapshot' }>, facts: Facts): Array<[string, string]> {
  const shown: Array<[string, string]> = [];
  const missing = facts.missing;
  for (const collector of step.snapshot.collect) {
    const fact = facts[collector];
    if (fact !== null && typeof fact === 'object' && !Array.isArray(fact)) {
      const parser = collectorSpecs[collector].parser;
      const names = (typeof parser === 'string' ? getParser(parser)?.keyFacts : parser.keyFacts) ?? [];
      const unit = typeof fact['unit'] === 'string' ? fact['unit'] : undefined;
      for (const name of names.filter((n) => n in fact).slice(0, PER_COLLECTOR)) {
        const value = show(name, fact[name] ?? null, { group: collector, ...(unit !== undefined ? { unit } : {}) });
        if (value !== undefined) shown.push([`${collector}.${name}`, value]);
      }
    } else if (missing !== null && typeof missing === 'object' && !Array.isArray(missing) && collector in missing) {
      shown.push([collector, `missing (${String(missing[collector] ?? 'not read')})`]);
    }
  }
  return shown;
}

export function keyFacts(step: Step, facts: Facts): Array<[string, string]> {
  if (step.kind === 'snapshot') return snapshotKeyFacts(step, facts);
  const parser = parserOf(step);
  const preferred = parser ? (getParser(parser)?.keyFacts ?? []) : [];
  let names = preferred.filter((name) => name in facts);
  if (names.length === 0) {
    names = Object.keys(facts).filter((name) => {
      const value = facts[name];
      return value !== null && typeof value !== 'object';
    });
  }
  // An empty text (a conclusion's optional clause left out) says nothing: no `name=` with a blank.
  return names.flatMap((name): Array<[string, string]> => {
    const value = show(name, facts[name] ?? null);
    return value === undefined || value === '' ? [] : [[name, value]];
  }).slice(0, MAX_SHOWN);
}
