// `key-value`: `key: value` / `key=value` lines as facts. Keys become snake_case
// (`Heap Inuse` → heap_inuse) so expressions can name them; numeric values become numbers.
// Option separator: the separator to split on (default: the first ':' or '=' in each line).
// Read line by line, any size, in bounded memory: at most MAX_KEYS distinct keys and
// MAX_VALUE_CHARS of each value are kept (a log of unique keys is not key-value facts).
import { BlankInput } from './blank-input.js';
import { CappedWarnings } from './capped-warnings.js';
import { parseWhole } from './chunk-lines.js';
import { scalarFromText } from './scalar.js';
import { TextLines, withoutCr } from './text-lines.js';
import type { Facts, ParseResult, ParseStream, StreamingParser } from './types.js';

/** A key-value line is short; a longer one is read up to here, with a warning. */
const MAX_LINE_BYTES = 2 ** 20;
/** Keys remembered with their fact names: a log repeats a few keys millions of times, and
 *  naming one was half the parse (CPU profile of a 30 MB file). */
const NAMES_CACHED = 4096;
const MAX_KEYS = 10_000;
const MAX_VALUE_CHARS = 64 * 1024;

function factName(key: string): string {
  return key
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

class KeyValueStream implements ParseStream {
  private readonly facts: Facts = {};
  private readonly warnings = new CappedWarnings();
  private readonly blank = new BlankInput();
  private readonly lines: TextLines;
  private readonly separator: string | undefined;
  private readonly names = new Map<string, string>();
  private keys = 0;
  private keysLeftOut = 0;

  constructor(options: Record<string, unknown>, skipBom: boolean) {
    this.separator = typeof options.separator === 'string' && options.separator !== '' ? options.separator : undefined;
    this.lines = new TextLines(MAX_LINE_BYTES, skipBom, (text, number, cut, ended) => {
      if (cut) this.warnings.add(`line longer than ${MAX_LINE_BYTES / 2 ** 20} MiB: read up to there`, number);
      this.line(withoutCr(text, ended), number);
    });
  }

  write(chunk: Uint8Array): void {
    this.blank.feed(chunk);
    this.lines.write(chunk);
  }

  private line(line: string, number: number): void {
    const { separator, facts } = this;
    if (line.trim() === '') return;
    const at = separator !== undefined ? line.indexOf(separator) : line.search(/[:=]/);
    const width = separator?.length ?? 1;
    const name = at > 0 ? this.nameOf(line.slice(0, at)) : '';
    if (name === '') {
      this.warnings.add(`no key${separator ? ` before '${separator}'` : ' before : or ='}`, number);
      return;
    }
    if (name in facts) this.warnings.add(`key ${name} repeated; the last value wins`, number);
    else if (this.keys === MAX_KEYS) {
      this.keysLeftOut++;
      return;
    } else this.keys++;
    let value = line.slice(at + width).trim();
    if (value.length > MAX_VALUE_CHARS) {
      this.warnings.add(`value of ${name} longer than ${MAX_VALUE_CHARS / 1024} KiB: kept up to there`, number);
      value = value.slice(0, MAX_VALUE_CHARS);
    }
    facts[name] = scalarFromText(value);
  }

  private nameOf(key: string): string {
    let name = this.names.get(key);
    if (name === undefined) {
      if (this.names.size === NAMES_CACHED) this.names.clear();
      name = factName(key);
      this.names.set(key, name);
    }
    return name;
  }

  end(): ParseResult {
    this.lines.end();
    const { facts } = this;
    const warnings = this.warnings.list();
    if (this.keysLeftOut > 0) warnings.push({ message: `more than ${MAX_KEYS} distinct keys: ${this.keysLeftOut} lines with a new key after that were left out (is this key-value output?)` });
    if (Object.keys(facts).length === 0) {
      return { facts, warnings, error: { code: this.blank.isBlank() ? 'empty' : 'unrecognised-format', message: 'no key-value lines found' } };
    }
    return { facts, warnings };
  }
}

export const keyValueParser: StreamingParser = {
  name: 'key-value',
  summary: 'Lines of key: value or key=value; keys become snake_case facts, numbers become numbers.',
  keyFacts: [],
  parse: (input, options = {}) => parseWhole(input, (skipBom) => new KeyValueStream(options, skipBom)),
  stream: (options = {}) => new KeyValueStream(options, true),
};
