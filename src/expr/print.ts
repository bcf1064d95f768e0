// Prints an Expr back as source text, with the fewest parentheses that keep its meaning.
// With `values`, paths that were read are shown by their values ("27.1 > 10"), which is
// how a decision explains itself.

import type { Expr } from './ast.js';
import { showValue } from './values.js';

const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  not: 3,
  '==': 4, '!=': 4, '<': 4, '<=': 4, '>': 4, '>=': 4, in: 4, 'not in': 4,
  '+': 5, '-': 5,
  '*': 6, '/': 6, '%': 6,
};
const UNARY_MINUS = 7;
const POSTFIX = 8;

export function printExpression(expr: Expr, values?: Record<string, unknown>): string {
  return print(expr, values).text;
}

function print(expr: Expr, values: Record<string, unknown> | undefined): { text: string; precedence: number } {
  switch (expr.kind) {
    case 'literal':
      return { text: typeof expr.value === 'string' ? quote(expr.value) : String(expr.value), precedence: POSTFIX };
    case 'path': {
      const name = expr.path.join('.');
      if (values && Object.prototype.hasOwnProperty.call(values, name)) {
        const value = values[name];
        // A negative number shown in place of a path must not glue onto an operator.
        return { text: showValue(value), precedence: typeof value === 'number' && value < 0 ? UNARY_MINUS : POSTFIX };
      }
      return { text: name, precedence: POSTFIX };
    }
    case 'member': {
      // `0.status` would read back as the number `0.` and a name: a number keeps its parentheses.
      const numeric = expr.object.kind === 'literal' && typeof expr.object.value === 'number';
      const object = numeric ? `(${print(expr.object, values).text})` : operand(expr.object, POSTFIX, values);
      return { text: `${object}.${expr.name}`, precedence: POSTFIX };
    }
    case 'index':
      return { text: `${operand(expr.object, POSTFIX, values)}[${print(expr.index, values).text}]`, precedence: POSTFIX };
    case 'call':
      // has() names its path: showing the value would hide what was asked.
      return { text: `${expr.name}(${expr.args.map((arg) => print(arg, expr.name === 'has' ? undefined : values).text).join(', ')})`, precedence: POSTFIX };
    case 'unary':
      return expr.operator === 'not'
        ? { text: `not ${operand(expr.operand, PRECEDENCE.not as number, values)}`, precedence: PRECEDENCE.not as number }
        : { text: `-${operand(expr.operand, UNARY_MINUS + 1, values)}`, precedence: UNARY_MINUS };
    case 'binary': {
      const precedence = PRECEDENCE[expr.operator] as number;
      // Left-associative: the right side needs parentheses at equal precedence; comparisons
      // do not chain at all, so both of their sides do.
      const left = operand(expr.left, precedence === PRECEDENCE['=='] ? precedence + 1 : precedence, values);
      const right = operand(expr.right, precedence + 1, values);
      return { text: `${left} ${expr.operator} ${right}`, precedence };
    }
  }
}

function operand(expr: Expr, minimum: number, values: Record<string, unknown> | undefined): string {
  const printed = print(expr, values);
  return printed.precedence < minimum ? `(${printed.text})` : printed.text;
}

function quote(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}'`;
}
