import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getParser } from '../../src/parsers/registry.js';
import { linesParser } from '../../src/parsers/lines.js';
import { regexParser } from '../../src/parsers/regex.js';
import { jsonParser } from '../../src/parsers/json.js';
import { keyValueParser } from '../../src/parsers/key-value.js';

describe('lines', () => {
  it('counts lines without inventing one after the final newline', () => {
    expect(linesParser.parse('a\nb\n').facts).toEqual({ lines: ['a', 'b'], count: 2, text: 'a\nb\n' });
    expect(linesParser.parse('a\n\nb', { skip_empty: true }).facts.count).toBe(2);
    expect(linesParser.parse('').facts.count).toBe(0);
  });
});

describe('regex', () => {
  it('turns named groups into facts, numbers into numbers', () => {
    const result = regexParser.parse('latency p99=27.5ms over 59 cycles\n', { pattern: 'p99=(?<p99_ms>[\\d.]+)ms over (?<cycles>\\d+)' });
    expect(result.facts).toEqual({ matched: true, p99_ms: 27.5, cycles: 59 });
  });
  it('collects every match with all: true', () => {
    const result = regexParser.parse('x=1\nx=2\nx=3\n', { pattern: '^x=(?<x>\\d+)$', all: true });
    expect(result.facts).toEqual({ matched: true, count: 3, matches: [{ x: 1 }, { x: 2 }, { x: 3 }] });
  });
  it('reports no match as a fact and a bad pattern as an error', () => {
    expect(regexParser.parse('nothing', { pattern: '(?<n>\\d+)' }).facts).toEqual({ matched: false });
    expect(regexParser.parse('x', { pattern: '(' }).error?.code).toBe('invalid');
    expect(regexParser.parse('x').error?.message).toMatch(/pattern/);
  });
  it('keeps integers beyond 2^53 as strings', () => {
    expect(regexParser.parse('addr 18446744073709551615', { pattern: '(?<a>\\d+)' }).facts.a).toBe('18446744073709551615');
  });
});

describe('json', () => {
  it('uses an object\'s keys as facts and wraps other values', () => {
    expect(jsonParser.parse('{"a":1,"b":{"c":[1,2]}}').facts).toEqual({ a: 1, b: { c: [1, 2] } });
    expect(jsonParser.parse('[1,2]').facts).toEqual({ value: [1, 2] });
    expect(jsonParser.parse('{').error?.code).toBe('unrecognised-format');
    expect(jsonParser.parse('  ').error?.code).toBe('empty');
    expect(jsonParser.parse('{"LastGC": 1700000000123456789}').warnings).toHaveLength(1);
  });
  it('reads like JSON.parse through either path of the exact reader, and names why text is not JSON', () => {
    // A 16-digit run anywhere (here in a string) sends the text through the exact reader.
    const slow = '{"__proto__": {"a": [1, 2.5e3, null]}, "id": "1234567890123456", "big": 12345678901234567890}';
    expect(jsonParser.parse(slow).facts).toEqual(JSON.parse(slow));
    expect(Object.keys(jsonParser.parse(slow).facts)).toEqual(['__proto__', 'id', 'big']);
    expect(jsonParser.parse(slow.replace('1234567890123456', '12345')).facts).toEqual(JSON.parse(slow.replace('1234567890123456', '12345')));
    expect(jsonParser.parse('{"a":}').error?.message).toMatch(/^not JSON: Unexpected token/);
    const nested = (depth: number, leaf: string): string => `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
    for (const leaf of ['1', '12345678901234567890']) {
      expect(jsonParser.parse(nested(512, leaf)).error).toBeUndefined();
      expect(jsonParser.parse(nested(513, leaf)).error?.message).toBe('not JSON: nested more than 512 levels deep');
    }
    expect(jsonParser.parse(nested(200_000, '1')).error?.message).toBe('not JSON: nested more than 512 levels deep');
  });
});

describe('key-value', () => {
  it('reads colon and equals lines into snake_case facts', () => {
    const result = keyValueParser.parse('HeapInuse: 1024\nNum GC = 7\nname: api-server\nnot a pair\n');
    expect(result.facts).toEqual({ heap_inuse: 1024, num_gc: 7, name: 'api-server' });
    expect(result.warnings).toEqual([{ message: 'no key before : or =', line: 4 }]);
  });
  it('splits on a given separator', () => {
    expect(keyValueParser.parse('a\t1\nb\t2', { separator: '\t' }).facts).toEqual({ a: 1, b: 2 });
  });
  it('says so when nothing is a pair', () => {
    expect(keyValueParser.parse('just text').error?.code).toBe('unrecognised-format');
  });
  it('keeps memory bounded on lines of unique keys (a goroutine dump is not key-value): 10,000 keys and 64 KiB a value', () => {
    const lines = Array.from({ length: 10_250 }, (_, i) => `goroutine ${i} [chan receive]: x`);
    const result = keyValueParser.parse(`${lines.join('\n')}\nlong: ${'v'.repeat(70_000)}\n`);
    expect(Object.keys(result.facts)).toHaveLength(10_000);
    expect(result.facts['goroutine_9999_chan_receive']).toBe('x');
    expect(result.facts['long']).toBeUndefined();
    expect(result.warnings.at(-1)!.message).toBe('more than 10000 distinct keys: 251 lines with a new key after that were left out (is this key-value output?)');
    const long = keyValueParser.parse(`long: ${'v'.repeat(70_000)}\nlong2: 1`);
    expect(String(long.facts['long'])).toHaveLength(65_536);
    expect(long.warnings).toEqual([{ message: 'value of long longer than 64 KiB: kept up to there', line: 1 }]);
  });
});

describe('registry', () => {
  it('registers the four engine parsers, which never throw on any input', () => {
    for (const name of ['lines', 'regex', 'json', 'key-value']) {
      const parser = getParser(name);
      expect(parser, name).toBeDefined();
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.uint8Array()), fc.dictionary(fc.string(), fc.jsonValue()), (input, options) => {
          const result = parser!.parse(input, options);
          expect(result.facts).toBeTypeOf('object');
        }),
        { numRuns: 200 },
      );
    }
  });
});

describe('numbers from text', () => {
  it('keeps zero-padded codes as text', () => {
    expect(keyValueParser.parse('Umask: 0022\nThreads: 11\nratio: 0.5').facts).toEqual({ umask: '0022', threads: 11, ratio: 0.5 });
  });
});
