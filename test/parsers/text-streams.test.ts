// The text parsers read in chunks (issue 17 item 4): key-value, proc-status, smaps-rollup, proc-environ,
// regex and escape (parser and diff) give for any split of their input exactly what one parse of the whole gives, and what
// they gave reading the decoded text whole; TextLines yields the lines split('\n') gives.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeDiffer } from '../../src/diffs/escape.js';
import { smapsRollupDiffer } from '../../src/diffs/smaps-rollup.js';
import { statusDiffer } from '../../src/diffs/status.js';
import { escapeParser } from '../../src/parsers/escape.js';
import { keyValueParser } from '../../src/parsers/key-value.js';
import { procEnvironParser } from '../../src/parsers/proc-environ.js';
import { procStatusParser } from '../../src/parsers/proc-status.js';
import { smapsRollupParser } from '../../src/parsers/smaps-rollup.js';
import { regexParser } from '../../src/parsers/regex.js';
import { matchesWithinLines } from '../../src/parsers/regex-line-local.js';
import { scalarFromText } from '../../src/parsers/scalar.js';
import { TextLines } from '../../src/parsers/text-lines.js';
import type { StreamingParser } from '../../src/parsers/types.js';
import { isStreamingParser } from '../../src/parsers/types.js';
import { expectEveryDiffSplit, expectEverySplit, feedInPieces } from '../helpers/feed-in-pieces.js';

const escapeFixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/escape/${name}`, import.meta.url));
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const cutsOf = (bytes: Uint8Array) => fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 12 });

function inPieces(parser: StreamingParser, bytes: Uint8Array, cuts: number[], options?: Record<string, unknown>) {
  const stream = parser.stream(options);
  feedInPieces(stream, bytes, cuts);
  return stream.end();
}

/** Text of lines built from tokens a line-based reader has to get right. */
const textOf = (tokens: string[]) =>
  fc.array(fc.array(fc.constantFrom(...tokens), { maxLength: 8 }).map((t) => t.join('')), { maxLength: 10 }).map((lines) => lines.join('\n'));
const anyBytes = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.array(fc.constantFrom(0x0a, 0x0d, 0x41, 0x20, 0x3a, 0xc3, 0xa9, 0xe2, 0x82, 0xef, 0xbb, 0xbf, 0xff), { maxLength: 200 }).map((b) => Uint8Array.from(b)),
);

describe('TextLines', () => {
  it('yields the lines split("\\n") gives of the decoded whole, for any bytes and any split', () => {
    fc.assert(
      fc.property(anyBytes.chain((bytes) => fc.tuple(fc.constant(bytes), cutsOf(bytes))), ([bytes, cuts]) => {
        const seen: string[] = [];
        const lines = new TextLines(2 ** 20, true, (line, number, cut) => {
          expect(number).toBe(seen.length + 1);
          expect(cut).toBe(false);
          seen.push(line);
        });
        feedInPieces(lines, bytes, cuts);
        lines.end();
        expect(seen).toEqual(new TextDecoder().decode(bytes).split('\n'));
      }),
      { numRuns: 1000 },
    );
  });

  it('cuts a line at the limit and says so', () => {
    const seen: [string, boolean][] = [];
    const lines = new TextLines(4, false, (line, _number, cut) => seen.push([line, cut]));
    feedInPieces(lines, Buffer.from('abcdefgh\nxy'), [3, 6]);
    lines.end();
    expect(seen).toEqual([['abcd', true], ['xy', false]]);
  });
});

describe('proc-status and smaps-rollup in chunks', () => {
  const procFixture = (path: string): Buffer => readFileSync(new URL(`../fixtures/proc/${path}`, import.meta.url));
  const cases = [
    [procStatusParser, 'procfs/26231/status'],
    [procStatusParser, 'procfs/26235/status'],
    [procStatusParser, 'local/leaky_after/proc_status.txt'],
    [smapsRollupParser, 'procfs/26231/smaps_rollup'],
    [smapsRollupParser, 'local/leaky_after/proc_smaps_rollup.txt'],
  ] as const;

  it('give for every split of a real file what one parse gives', () => {
    for (const [parser, path] of cases) {
      const bytes = procFixture(path);
      const whole = parser.parse(bytes);
      expect(whole.error, path).toBeUndefined();
      expect(parser.parse(bytes.toString('utf8'))).toEqual(whole);
      expectEverySplit(() => parser.stream(), bytes, whole, 30);
    }
  });

  it('give for every split of any text what one parse gives', () => {
    const text = textOf(['VmRSS', 'Rss', 'Umask', ':', '\t', ' ', '1024', ' kB', '0022', '\r', 'é', '[rollup]', '7f00-7f10 r--p 0 00:00 0 ']);
    fc.assert(
      fc.property(text, fc.boolean(), fc.constantFrom(procStatusParser, smapsRollupParser), (body, bom, parser) => {
        const bytes = Buffer.concat([bom ? BOM : Buffer.alloc(0), Buffer.from(body)]);
        const whole = parser.parse(bytes);
        expect(parser.parse(body)).toEqual(whole);
        expectEverySplit(() => parser.stream(), bytes, whole, 5);
      }),
      { numRuns: 200 },
    );
  });

  it('their diffs give for every split of both sides what one diff gives', () => {
    const side = (when: string, file: string) => procFixture(`local/leaky_${when}/${file}`);
    for (const [differ, file] of [[statusDiffer, 'proc_status.txt'], [smapsRollupDiffer, 'proc_smaps_rollup.txt']] as const) {
      const whole = differ.diff(side('before', file), side('after', file));
      expect(whole.error).toBeUndefined();
      expectEveryDiffSplit(differ, side('before', file), side('after', file), whole, 15);
    }
  });

  it('keep at most 10,000 distinct fields and 64 KiB of a value, and say so', () => {
    const stream = procStatusParser.stream();
    stream.write(Buffer.from(`Pid:\t42\nName:\t${'x'.repeat(70_000)}\n`));
    for (let i = 0; i < 20_000; i++) stream.write(Buffer.from(`Field${i}:\t${i}\n`));
    const { facts, warnings, error } = stream.end();
    expect(error).toBeUndefined();
    expect(Object.keys(facts)).toHaveLength(10_000);
    expect((facts.name as string).length).toBe(64 * 1024);
    expect(warnings.map((w) => w.message)).toEqual([
      'value of Name longer than 64 KiB: kept up to there',
      'more than 10000 distinct fields: 10002 lines with a new field after that were left out (is this proc-status input?)',
    ]);
  });
});

describe('proc-environ in chunks', () => {
  it('gives for every split what one parse gives, NUL- or newline-separated, BOM included', () => {
    const entry = fc.array(fc.constantFrom('GOGC', 'GOMEMLIMIT', 'GODEBUG', 'HOME', '=', '64MiB', 'off', 'asyncpreemptoff=1', ',', 'é', '\r', 'x'), { maxLength: 5 }).map((t) => t.join(''));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), fc.constantFrom('\0', '\n'), fc.boolean(), (entries, separator, bom) => {
        const body = entries.join(separator);
        const bytes = Buffer.concat([bom ? BOM : Buffer.alloc(0), Buffer.from(body)]);
        const whole = procEnvironParser.parse(bytes);
        expect(procEnvironParser.parse(body)).toEqual(whole);
        expectEverySplit(() => procEnvironParser.stream(), bytes, whole, 5);
      }),
      { numRuns: 300 },
    );
    for (const name of readdirSync(new URL('../fixtures/proc/local/environ/', import.meta.url))) {
      const bytes = readFileSync(new URL(`../fixtures/proc/local/environ/${name}`, import.meta.url));
      expectEverySplit(() => procEnvironParser.stream(), bytes, procEnvironParser.parse(bytes), 20);
    }
  });

  it('keeps only the Go variables of an environment of any size', () => {
    const stream = procEnvironParser.stream();
    for (let i = 0; i < 100_000; i++) stream.write(Buffer.from(`VAR_${i}=${'v'.repeat(100)}\0`));
    stream.write(Buffer.from('GOMEMLIMIT=1GiB\0GOGC=50\0GOGC=off\0'));
    const { facts, warnings } = stream.end();
    expect(facts).toMatchObject({ go_variables: { GOMEMLIMIT: '1GiB', GOGC: '50' }, gomemlimit_bytes: 2 ** 30, gogc: 50 });
    expect(warnings).toEqual([{ message: 'GOGC is set more than once; the runtime reads the first' }]);
  });
});

describe('key-value in chunks', () => {
  const text = textOf(['HeapInuse', 'Num GC', ': ', '=', ' 12', '0022', 'é', '\r', '\t', ' ', 'x']);

  it('gives for every split what one parse gives, BOM and CRLF included', () => {
    fc.assert(
      fc.property(text, fc.boolean(), fc.constantFrom(undefined, '\t', '='), (body, bom, separator) => {
        const bytes = Buffer.concat([bom ? BOM : Buffer.alloc(0), Buffer.from(body)]);
        const options = separator === undefined ? {} : { separator };
        const whole = keyValueParser.parse(bytes, options);
        expect(keyValueParser.parse(body, options)).toEqual(whole);
        expectEverySplit(() => keyValueParser.stream(options), bytes, whole, 10);
      }),
      { numRuns: 300 },
    );
  });

  it('reads lines as split(/\\r?\\n/) does: a \\r before a newline is dropped, a last line keeps its own', () => {
    expect(keyValueParser.parse('a: 1\r\nb: x\r\n').facts).toEqual({ a: 1, b: 'x' });
    expect(keyValueParser.parse('a\t1\r\nb\tx\r', { separator: '\t' }).facts).toEqual({ a: 1, b: 'x' });
    expect(keyValueParser.parse(' \n\r\n').error?.code).toBe('empty');
  });

  it('keeps the first 50 warnings of a file of bad lines and counts the rest', () => {
    const result = keyValueParser.parse(`a: 1\n${'no pair here\n'.repeat(120)}`);
    expect(result.warnings).toHaveLength(51);
    expect(result.warnings[0]).toEqual({ message: 'no key before : or =', line: 2 });
    expect(result.warnings[50]!.message).toBe('70 more warnings not shown (first 50 kept)');
  });
});

describe('regex in chunks', () => {
  /** The whole text matched at once, as the parser did before it streamed. */
  function wholeText(text: string, pattern: string, flags: string, all: boolean) {
    const regex = new RegExp(pattern, all ? `${flags}g` : flags);
    const groups = (m: RegExpExecArray) => Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, v === undefined ? null : scalarFromText(v)]));
    if (!all) {
      const m = regex.exec(text);
      return m === null ? { facts: { matched: false }, warnings: [{ message: `pattern /${pattern}/ matched nothing` }] } : { facts: { matched: true, ...groups(m) }, warnings: [] };
    }
    const matches: object[] = [];
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      matches.push(groups(m));
      if (m[0] === '') regex.lastIndex += 1;
    }
    return { facts: { matched: matches.length > 0, count: matches.length, matches }, warnings: [] };
  }
  const compiles = (pattern: string, flags: string): boolean => {
    try {
      return new RegExp(pattern, flags) instanceof RegExp;
    } catch {
      return false;
    }
  };

  const patternTokens = ['(?<n>\\d+)', '(?<w>\\w*)', 'a', 'b', ' ', '.', '\\s', '\\S+', '[^a]', '[a-c]', '[\\t-\\r]', '\\n', '^', '$', '\\b', '(?<=a)', '(?!b)', '(?:a|b)*', '\\r', '[]', '\\x0a', '\\W'];
  const pattern = fc.array(fc.constantFrom(...patternTokens), { minLength: 1, maxLength: 5 }).map((t) => t.join(''));
  const text = textOf(['a', 'b', 'ab', ' ', '12', '\r', 'é', '\n', 'x y']);

  it('matches line by line exactly when the pattern cannot match across lines (checked against the whole text)', () => {
    let local = 0;
    fc.assert(
      fc.property(pattern, fc.constantFrom('m', '', 'i', 'mi', 'ms', 'u', 'y'), fc.boolean(), text, (source, flags, all, body) => {
        if (!compiles(source, flags) || !matchesWithinLines(source, flags)) return;
        local++;
        expect(regexParser.parse(body, { pattern: source, flags, all })).toEqual(wholeText(body, source, flags, all));
      }),
      { numRuns: 3000 },
    );
    expect(local).toBeGreaterThan(300);
  });

  it('says which patterns can match across lines', () => {
    for (const [source, flags] of [['VmRSS:\\s+(?<kb>\\d+)', 'm'], ['a[^b]c', 'm'], ['a\\nb', 'm'], ['^x', ''], ['a.b', 'ms'], ['[\\t-\\r]', 'm'], ['a\\x0ab', 'm'], ['x', 'y']]) {
      expect(matchesWithinLines(source!, flags!), `${source} /${flags}`).toBe(false);
    }
    for (const [source, flags] of [['p99_ms=(?<p99>[0-9.]+)', 'm'], ['^(?<kb>[0-9]+)', 'm'], ['(?<w>\\w+) \\S+$', 'm'], ['[ -~]+', ''], ['a.b', 'i']]) {
      expect(matchesWithinLines(source!, flags!), `${source} /${flags}`).toBe(true);
    }
    expect(isStreamingParser(regexParser, { pattern: 'Threads:\\t(?<n>\\d+)' })).toBe(true);
    expect(isStreamingParser(regexParser, { pattern: 'Threads:\\s+(?<n>\\d+)' })).toBe(false);
  });

  it('gives for every split what one parse gives, line-local or not, BOM and CRLF included', () => {
    fc.assert(
      fc.property(pattern, fc.constantFrom('m', ''), fc.boolean(), text, fc.boolean(), (source, flags, all, body, bom) => {
        const bytes = Buffer.concat([bom ? BOM : Buffer.alloc(0), Buffer.from(body.replace(/\n/g, '\r\n'))]);
        const options = { pattern: source, flags, all };
        const whole = regexParser.parse(bytes, options);
        expectEverySplit(() => regexParser.stream(options), bytes, whole, 5);
      }),
      { numRuns: 500 },
    );
  });

  it('reports a missing or invalid pattern from its stream too', () => {
    expect(inPieces(regexParser, Buffer.from('x'), []).error?.code).toBe('invalid');
    expect(inPieces(regexParser, Buffer.from('x'), [], { pattern: '(' }).error?.code).toBe('invalid');
  });
});

describe('escape in chunks', () => {
  const outputs = ['leaky.m2.txt', 'leaky.m1.txt', 'leaky-noescape.m2.txt', 'bufio.m2.txt', 'container-list.m1.txt'].map(escapeFixture);

  it('gives for every split of real -m and -m=2 outputs what one parse gives, with sites and a base', () => {
    const sites = [{ file: 'leaky/alloc_hot_escape.go', line: 17 }];
    const base = escapeParser.parse(escapeFixture('leaky-noescape.m2.txt')).facts.entries;
    for (const bytes of outputs) {
      const crlf = Buffer.concat([BOM, Buffer.from(bytes.toString('latin1').replace(/\n/g, '\r\n'), 'latin1')]);
      for (const input of [bytes, crlf]) {
        const whole = escapeParser.parse(input, { sites, base });
        expect(whole.error).toBeUndefined();
        expectEverySplit(() => escapeParser.stream({ sites, base }), input, whole);
      }
      expect(escapeParser.parse(crlf).facts).toEqual(escapeParser.parse(bytes).facts);
    }
  });

  it('gives for every split of both sides what one diff gives', () => {
    const [after, , before] = outputs as [Buffer, Buffer, Buffer];
    const whole = escapeDiffer.diff(before, after);
    expect(whole.facts.started_count).toBeGreaterThan(0);
    expectEveryDiffSplit(escapeDiffer, before, after, whole, 30);
  });

  it('gives for every split of any bytes what one parse gives (errors and warnings included)', () => {
    fc.assert(
      fc.property(anyBytes.chain((bytes) => fc.tuple(fc.constant(bytes), cutsOf(bytes))), ([bytes, cuts]) => {
        expect(inPieces(escapeParser, bytes, cuts)).toEqual(escapeParser.parse(bytes));
      }),
      { numRuns: 500 },
    );
  });
});
