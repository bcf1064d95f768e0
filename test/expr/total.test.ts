// Property tests: parsing and evaluation are total functions, whatever the input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression, printExpression, type Expr } from '../../src/expr/index.js';
import { scope } from './helpers.js';

const fragments = fc.constantFrom(
  'after', '.status', '.vm_rss_kb', 'maps', '[', ']', '(', ')', '0', '1.5', '-1', '1e400', "'x'", '"y"', ' + ', ' - ', ' * ',
  ' / ', ' % ', ' == ', ' != ', ' < ', ' >= ', ' and ', ' or ', ' not ', ' in ', '!', '&&', '||', 'max(', 'has(', 'coalesce(',
  'num(', 'len(', 'round(', ', ', 'tags', 'name', 'null', 'true', '__proto__', 'constructor', '.missing', 'stw_p99_ms',
);
const grammarish = fc.array(fragments, { maxLength: 25 }).map((parts) => parts.join(''));

const literal = fc.oneof(fc.double(), fc.integer(), fc.string(), fc.boolean(), fc.constant(null));
const names = fc.constantFrom('after', 'status', 'maps', 'tags', 'name', 'x', '__proto__', 'constructor', 'toString', '0');
const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal.map((value): Expr => ({ kind: 'literal', value, offset: 0 })),
    fc.array(names, { minLength: 1, maxLength: 4 }).map((path): Expr => ({ kind: 'path', path, offset: 0 })),
    fc.record({ object: tie('expr'), name: names }).map((r): Expr => ({ kind: 'member', ...r, offset: 0 })),
    fc.record({ object: tie('expr'), index: tie('expr') }).map((r): Expr => ({ kind: 'index', ...r, offset: 0 })),
    fc.record({ operator: fc.constantFrom('-' as const, 'not' as const), operand: tie('expr') }).map((r): Expr => ({ kind: 'unary', ...r, offset: 0 })),
    fc
      .record({
        operator: fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'and', 'or' as const),
        left: tie('expr'),
        right: tie('expr'),
      })
      .map((r): Expr => ({ kind: 'binary', ...r, offset: 0 }) as Expr),
    fc
      .record({ name: fc.constantFrom('max', 'min', 'len', 'abs', 'round', 'sum', 'avg', 'num', 'has', 'coalesce', 'nosuch'), args: fc.array(tie('expr'), { maxLength: 3 }) })
      .map((r): Expr => ({ kind: 'call', ...r, offset: 0 })),
  ),
}));

function checkResult(result: ReturnType<typeof evaluate>): void {
  if (result.ok) expect(result.value).not.toBeUndefined();
  else expect(typeof result.error).toBe('string');
}

describe('total functions', () => {
  it('parseExpression never throws on any string', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (source) => {
      parseExpression(source);
    }), { numRuns: 2000 });
  });

  it('parses and evaluates near-grammatical input without throwing or yielding undefined', () => {
    fc.assert(fc.property(grammarish, (source) => {
      const parsed = parseExpression(source);
      if (parsed.ok) checkResult(evaluate(parsed.ast, scope));
      else expect(parsed.error.offset).toBeGreaterThanOrEqual(0);
    }), { numRuns: 3000 });
  });

  it('evaluates any tree without throwing', () => {
    fc.assert(fc.property(expr, (ast) => checkResult(evaluate(ast, scope))), { numRuns: 2000 });
  });

  it('prints a parsed expression back to text that parses to the same tree', () => {
    const withoutOffsets = (ast: Expr): string => JSON.stringify(ast, (key, v: unknown) => (key === 'offset' ? undefined : v));
    fc.assert(fc.property(grammarish, (source) => {
      const parsed = parseExpression(source);
      if (!parsed.ok) return;
      const again = parseExpression(printExpression(parsed.ast));
      expect(again.ok && withoutOffsets(again.ast)).toBe(withoutOffsets(parsed.ast));
    }), { numRuns: 3000, examples: [['(0).status'], ['(1.5).vm_rss_kb']] });
  });
});
