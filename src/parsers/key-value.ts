// `key-value`: `key: value` / `key=value` lines as facts. Keys become snake_case
// (`Heap Inuse` → heap_inuse) so expressions can name them; numeric values become numbers.
// Option separator: the separator to split on (default: the first ':' or '=' in each line).
import { asText } from './input.js';
import { scalarFromText } from './scalar.js';
import type { Facts, Parser, ParseResult, ParseWarning } from './types.js';

function factName(key: string): string {
  return key
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export const keyValueParser: Parser = {
  name: 'key-value',
  summary: 'Lines of key: value or key=value; keys become snake_case facts, numbers become numbers.',
  keyFacts: [],
  parse(input, options = {}): ParseResult {
    const text = asText(input);
    const separator = typeof options.separator === 'string' && options.separator !== '' ? options.separator : undefined;
    const facts: Facts = {};
    const warnings: ParseWarning[] = [];
    const lines = text.split(/\r?\n/);
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      const at = separator !== undefined ? line.indexOf(separator) : line.search(/[:=]/);
      const width = separator?.length ?? 1;
      const name = at > 0 ? factName(line.slice(0, at)) : '';
      if (name === '') {
        warnings.push({ message: `no key${separator ? ` before '${separator}'` : ' before : or ='}`, line: index + 1 });
        return;
      }
      if (name in facts) warnings.push({ message: `key ${name} repeated; the last value wins`, line: index + 1 });
      facts[name] = scalarFromText(line.slice(at + width).trim());
    });
    if (Object.keys(facts).length === 0) {
      return { facts, warnings, error: { code: text.trim() === '' ? 'empty' : 'unrecognised-format', message: 'no key-value lines found' } };
    }
    return { facts, warnings };
  },
};
