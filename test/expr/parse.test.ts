import { describe, expect, it } from 'vitest';
import { parseExpression, printExpression, referencedPaths } from '../../src/expr/index.js';

function printed(source: string): string {
  const parsed = parseExpression(source);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return printExpression(parsed.ast);
}

function parseError(source: string): { message: string; offset: number } {
  const parsed = parseExpression(source);
  if (parsed.ok) throw new Error(`expected a parse error for ${source}`);
  return parsed.error;
}

describe('parseExpression precedence', () => {
  it.each([
    ['1 + 2 * 3', '1 + 2 * 3'],
    ['(1 + 2) * 3', '(1 + 2) * 3'],
    ['1 - 2 - 3', '1 - 2 - 3'],
    ['1 - (2 - 3)', '1 - (2 - 3)'],
    ['a or b and c', 'a or b and c'],
    ['(a or b) and c', '(a or b) and c'],
    ['not a == b', 'not a == b'],
    ['(not a) == b', '(not a) == b'],
    ['-x * 2', '-x * 2'],
    ['-(x * 2)', '-(x * 2)'],
    ['a.b[0].c', 'a.b[0].c'],
    ['a && b || !c', 'a and b or not c'],
    ['x not in tags', 'x not in tags'],
    ["max(a, b) >= 1e6", 'max(a, b) >= 1000000'],
    ["'it\\'s' + \"x\"", "'it\\'s' + 'x'"],
  ])('%s', (source, expected) => {
    expect(printed(source)).toBe(expected);
  });

  it('builds the tree by precedence, not left to right', () => {
    const parsed = parseExpression('1 + 2 * 3 > 6 and true');
    expect(parsed.ok && parsed.ast).toMatchObject({
      kind: 'binary',
      operator: 'and',
      left: {
        operator: '>',
        left: { operator: '+', left: { value: 1 }, right: { operator: '*', left: { value: 2 }, right: { value: 3 } } },
        right: { value: 6 },
      },
      right: { value: true },
    });
  });

  it('reads numbers in every form', () => {
    for (const [source, expected] of [['42', 42], ['3.25', 3.25], ['1e6', 1e6], ['2.5E-3', 0.0025]] as const) {
      const parsed = parseExpression(source);
      expect(parsed.ok && parsed.ast).toMatchObject({ kind: 'literal', value: expected });
    }
  });
});

describe('parseExpression errors carry the offset of the fault', () => {
  it.each([
    ['', 'empty expression', 0],
    ['1 +', 'expression ends too early', 3],
    ['a = 1', "use '=='", 2],
    ['a & b', "'&&'", 2],
    ["'abc", 'unterminated string', 0],
    ["'a\\q'", "unknown escape '\\q'", 2],
    ['(1 + 2', "expected ')'", 6],
    ['a[1', "expected ']'", 3],
    ['1 2', 'unexpected number 2', 2],
    ['a < b < c', 'cannot be chained', 6],
    ['mx(1)', "unknown function 'mx'", 0],
    ['has(1)', 'has() takes one fact path', 0],
    ['a.__proto__', "'__proto__' is refused", 2],
    ['constructor', "'constructor' is refused", 0],
    ['a.prototype.x', "'prototype' is refused", 2],
    ['12abc', 'malformed number', 0],
    ['a. 1', 'expected a field name', 3],
    ['and', "found 'and'", 0],
    ['+1', "unary '+'", 0],
    ['a $ b', "unexpected character '$'", 2],
  ])('%j', (source, message, offset) => {
    const error = parseError(source);
    expect(error.message).toContain(message);
    expect(error.offset).toBe(offset);
  });

  it('refuses deep nesting and overlong input instead of overflowing the stack', () => {
    expect(parseError('('.repeat(5000) + '1' + ')'.repeat(5000)).message).toMatch(/nested|longer/);
    expect(parseError('('.repeat(100) + '1' + ')'.repeat(100)).message).toContain('nested more than 64');
    expect(parseError('-'.repeat(100) + '1').message).toContain('nested');
    expect(parseError('1'.repeat(5000)).message).toContain('longer than 4096');
  });
});

describe('referencedPaths', () => {
  it('lists every dotted path once, including inside calls and indexes', () => {
    const parsed = parseExpression(
      'after.status.vm_rss_kb - before.status.vm_rss_kb > rss_growth_mb * 1024 and has(x.y) and a[i].b > coalesce(p, 1) and rss_growth_mb > 0',
    );
    expect(parsed.ok && referencedPaths(parsed.ast)).toEqual([
      'after.status.vm_rss_kb',
      'before.status.vm_rss_kb',
      'rss_growth_mb',
      'x.y',
      'a',
      'i',
      'p',
    ]);
  });
});
