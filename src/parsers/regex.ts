// `regex`: named groups of a pattern become facts (numbers where they look like numbers).
// Options: pattern (required), flags (default "m"), all (every match into `matches`).
import { asText } from './input.js';
import { scalarFromText } from './scalar.js';
import type { FactValue, Facts, Parser, ParseResult, RequiredOption } from './types.js';

function groupsOf(match: RegExpExecArray): Facts {
  const facts: Facts = {};
  for (const [name, value] of Object.entries(match.groups ?? {})) facts[name] = value === undefined ? null : scalarFromText(value);
  return facts;
}

const PATTERN: RequiredOption = { what: 'a regular expression with named groups', example: String.raw`'VmRSS:\s+(?<rss_kb>\d+)'` };

export const regexParser: Parser = {
  name: 'regex',
  summary: 'Named groups of parse_options.pattern become facts; all: true collects every match into matches and count.',
  keyFacts: [],
  requiredOptions: { pattern: PATTERN },
  parse(input, options = {}): ParseResult {
    const { pattern, flags, all } = options;
    if (typeof pattern !== 'string' || pattern === '') {
      return { facts: {}, warnings: [], error: { code: 'invalid', message: `regex parser needs parse_options.pattern (${PATTERN.what})` } };
    }
    let regex: RegExp;
    try {
      const base = typeof flags === 'string' ? flags.replace(/g/g, '') : 'm';
      regex = new RegExp(pattern, all === true ? `${base}g` : base);
    } catch (error) {
      return { facts: {}, warnings: [], error: { code: 'invalid', message: `invalid regex pattern: ${(error as Error).message}` } };
    }
    const text = asText(input);
    if (all === true) {
      const matches: FactValue[] = [];
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        matches.push(groupsOf(m));
        if (m[0] === '') regex.lastIndex += 1; // an empty match would loop forever
      }
      return { facts: { matched: matches.length > 0, count: matches.length, matches }, warnings: [] };
    }
    const match = regex.exec(text);
    if (!match) return { facts: { matched: false }, warnings: [{ message: `pattern /${pattern}/ matched nothing` }] };
    return { facts: { matched: true, ...groupsOf(match) }, warnings: [] };
  },
};
