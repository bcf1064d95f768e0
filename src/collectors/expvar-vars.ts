// Facts of the `vars` collector: the service's own expvar variables from /debug/vars
// (everything but `memstats`, which the `memstats` parser owns, and `cmdline`, which is
// in the bundle's meta.json). Large integers stay exact (decimal strings).
import { asText } from '../parsers/input.js';
import { ExactInteger, parseExactJson, type ExactJson } from '../parsers/json-exact.js';
import type { FactValue, Facts, Parser, ParseResult } from '../parsers/types.js';

function toFact(value: ExactJson): FactValue {
  if (value instanceof ExactInteger) return value.digits;
  if (Array.isArray(value)) return value.map(toFact);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toFact(v)]));
  }
  return value;
}

function parseVars(input: string | Uint8Array): ParseResult {
  const text = asText(input);
  if (text.trim() === '') return { facts: {}, warnings: [], error: { code: 'empty', message: 'no /debug/vars JSON' } };
  const json = parseExactJson(text);
  if (json === undefined || json === null || typeof json !== 'object' || Array.isArray(json) || json instanceof ExactInteger) {
    return { facts: {}, warnings: [], error: { code: 'unrecognised-format', message: 'not an expvar /debug/vars JSON object' } };
  }
  const vars: Facts = {};
  for (const [name, value] of Object.entries(json)) {
    if (name !== 'memstats' && name !== 'cmdline') vars[name] = toFact(value);
  }
  return { facts: { names: Object.keys(vars).sort(), vars }, warnings: [] };
}

export const expvarVarsParser: Parser = {
  name: 'expvar-vars',
  summary: 'expvar /debug/vars: the service’s own variables (memstats and cmdline left out)',
  keyFacts: ['names'],
  parse: parseVars,
};
