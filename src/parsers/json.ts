// `json`: a JSON document as facts. An object's keys become facts; any other value is
// the fact `value`. Read by the project's one JSON reader (json-exact.ts); facts are
// numbers, so an integer beyond 2^53 becomes the nearest double, with a warning.
import { asText } from './input.js';
import { ExactInteger, maxJsonDepth, mayHoldUnsafeIntegers, parseExactJson, type ExactJson } from './json-exact.js';
import type { FactValue, Parser, ParseResult, ParseWarning } from './types.js';

export const jsonParser: Parser = {
  name: 'json',
  summary: 'A JSON document: an object\'s keys become facts, any other value becomes the fact value.',
  keyFacts: [],
  parse(input): ParseResult {
    const text = asText(input);
    if (text.trim() === '') return { facts: {}, warnings: [], error: { code: 'empty', message: 'no JSON to parse (empty output)' } };
    const parsed = parseExactJson(text);
    if (parsed === undefined) return { facts: {}, warnings: [], error: { code: 'unrecognised-format', message: `not JSON: ${whyNotJson(text)}` } };
    const warnings: ParseWarning[] = [];
    const value = !mayHoldUnsafeIntegers(text)
      ? (parsed as FactValue)
      : asFacts(parsed, () => {
          if (warnings.length === 0) warnings.push({ message: 'an integer beyond 2^53 lost precision (JSON numbers are doubles)' });
        });
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { facts: value, warnings };
    return { facts: { value }, warnings };
  },
};

/** The parsed tree, with each exact integer rounded in place (the tree is ours, and copying
 *  a large document would cost more than reading it). Without recursion, as deep as it nests. */
function asFacts(root: ExactJson, rounded: () => void): FactValue {
  const round = (value: ExactJson): ExactJson => {
    if (!(value instanceof ExactInteger)) return value;
    rounded();
    return Number(value.digits);
  };
  const pending: ExactJson[] = [root];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    if (value === null || typeof value !== 'object' || value instanceof ExactInteger) continue;
    const container: Record<string, ExactJson> = value as Record<string, ExactJson>;
    for (const key of Object.keys(container)) {
      container[key] = round(container[key]!);
      pending.push(container[key]);
    }
  }
  return round(root) as FactValue;
}

/** Where the text stops being JSON, in the engine's words; the exact reader only says that it does. */
function whyNotJson(text: string): string {
  try {
    JSON.parse(text);
    return `nested more than ${maxJsonDepth} levels deep`;
  } catch (error) {
    return (error as Error).message;
  }
}
