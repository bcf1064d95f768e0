// PromQL templates: a value only ever fills the inside of a double-quoted string literal,
// escaped so that it cannot end the literal (the e2e test sends the same values through
// Prometheus's own parser: test/e2e/prometheus-query.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scopeFrom } from '../../src/expr/index.js';
import { escapePromqlString, promqlState, renderPromql } from '../../src/template/index.js';

const HOSTILE = ['"}or vector(1)', '"} or on() vector(1) #', '\\', '\\"', 'a\\', 'line\nbreak', 'cr\rlf', '# comment', "x' or '", '`raw`', 'ünïcødé ✓ 🙂', 'nul\0bel\x07del\x7f', '{{ job }}', '', 'lone \ud800 surrogate'];

/** Go's strconv.Unquote for what escapePromqlString writes (\\, \", \n, \r, \t, \xHH). */
function unquote(content: string): string {
  return content.replace(/\\(x[0-9a-f]{2}|[\\"nrt])/g, (_m, escape: string) => {
    if (escape.startsWith('x')) return String.fromCharCode(parseInt(escape.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[escape] ?? escape;
  });
}

/** The query split the way PromQL's lexer sees it: code and the string literals, in order. */
function tokens(query: string): string[] {
  const out: string[] = [];
  let current = '';
  let state = promqlState('');
  for (const char of query) {
    const next = promqlState(char, state);
    if ((state === 'code') !== (next === 'code') && !(state === 'code' && next === 'comment')) {
      if (next !== 'code') {
        out.push(current);
        current = char;
      } else {
        out.push(current + char);
        current = '';
      }
    } else current += char;
    state = next;
  }
  out.push(current);
  return out;
}

describe('renderPromql', () => {
  const query = 'sum(rate(x{job="{{ v }}", mode!="{{ v }}"}[5m])) or vector(0)';

  it.each(HOSTILE)('keeps the query structure for %j', (value) => {
    const rendered = renderPromql(query, scopeFrom([{ v: value }]));
    expect(rendered.ok).toBe(true);
    const text = (rendered as { text: string }).text;
    const parts = tokens(text);
    // The same code around exactly two literals, each holding the value.
    expect(parts.filter((_, i) => i % 2 === 0)).toEqual(['sum(rate(x{job=', ', mode!=', '}[5m])) or vector(0)']);
    expect(parts.filter((_, i) => i % 2 === 1).map((literal) => unquote(literal.slice(1, -1)))).toEqual([value.toWellFormed(), value.toWellFormed()]);
    expect(promqlState(text)).toBe('code');
  });

  it('holds for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (value) => {
        const text = (renderPromql('up{a="{{ v }}"} or vector(1)', scopeFrom([{ v: value }])) as { text: string }).text;
        const parts = tokens(text);
        return parts.length === 3 && parts[0] === 'up{a=' && parts[2] === '} or vector(1)' && unquote(parts[1]!.slice(1, -1)) === value.toWellFormed();
      }),
      { numRuns: 500 },
    );
  });

  it('writes numbers and booleans as text, refuses lists and objects', () => {
    expect(renderPromql('x{a="{{ n }}",b="{{ b }}"}', scopeFrom([{ n: 1.5, b: true }]))).toEqual({ ok: true, text: 'x{a="1.5",b="true"}' });
    expect(renderPromql('x{a="{{ l }}"}', scopeFrom([{ l: [1] }]))).toEqual({ ok: false, error: "value of 'l' is an array: a PromQL string takes text, a number or true/false" });
  });

  it.each([
    ['x{job={{ v }}}', 'only fill the inside of a double-quoted string literal'],
    ["x{job='{{ v }}'}", 'only fill the inside of a double-quoted string literal'],
    ['x{job=`{{ v }}`}', 'only fill the inside of a double-quoted string literal'],
    ['x # "{{ v }}"', 'only fill the inside of a double-quoted string literal'],
    ['x[{{ v }}]', 'only fill the inside of a double-quoted string literal'],
    ['x{job="a\\\\\\{{ v }}"}', undefined],
    ['x{job="\\{{ v }}"}', undefined],
  ])('%s', (query, refused) => {
    const rendered = renderPromql(query, scopeFrom([{ v: 'api' }]));
    if (refused === undefined) expect(rendered.ok).toBe(true);
    else expect(rendered).toMatchObject({ ok: false, error: expect.stringContaining(refused) });
  });
});

describe('escapePromqlString', () => {
  it('escapes what would end or bend the literal, keeps the rest', () => {
    expect(escapePromqlString('a"b\\c\nd\te\x01f✓')).toBe('a\\"b\\\\c\\nd\\te\\x01f✓');
  });
});
