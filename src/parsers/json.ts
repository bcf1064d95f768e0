// `json`: a JSON document as facts. An object's keys become facts; any other value is
// the fact `value`.
import { asText } from './input.js';
import type { FactValue, Parser, ParseResult, ParseWarning } from './types.js';

export const jsonParser: Parser = {
  name: 'json',
  summary: 'A JSON document: an object\'s keys become facts, any other value becomes the fact value.',
  keyFacts: [],
  parse(input): ParseResult {
    const text = asText(input);
    if (text.trim() === '') return { facts: {}, warnings: [], error: { code: 'empty', message: 'no JSON to parse (empty output)' } };
    const warnings: ParseWarning[] = [];
    let value: FactValue;
    try {
      value = JSON.parse(text, (_key, v: unknown) => {
        if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v) && warnings.length === 0) {
          warnings.push({ message: 'an integer beyond 2^53 lost precision (JSON numbers are doubles)' });
        }
        return v;
      }) as FactValue;
    } catch (error) {
      return { facts: {}, warnings: [], error: { code: 'unrecognised-format', message: `not JSON: ${(error as Error).message}` } };
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { facts: value, warnings };
    return { facts: { value }, warnings };
  },
};
