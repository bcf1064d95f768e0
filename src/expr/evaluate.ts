// Evaluates an Expr against a Scope. Total: every failure comes back as
// { ok: false, error } with words, never as an exception or as `undefined`.

import type { BinaryOperator, Expr } from './ast.js';
import { callFunction } from './functions.js';
import { printExpression } from './print.js';
import { missingFactMessage, safeLookup, type Scope } from './scope.js';
import { deepEqual, describeValue, fieldNames, isPlainObject, ownField, REFUSED_FIELD_NAMES, typeName } from './values.js';

export type EvaluateResult =
  | { ok: true; value: unknown; reads: Record<string, unknown> }
  | { ok: false; error: string };

/** Thrown inside the evaluator only; `missing` lets has() and coalesce() absorb it. */
class Failure {
  constructor(
    readonly message: string,
    readonly missing = false,
  ) {}
}

export function evaluate(ast: Expr, scope: Scope): EvaluateResult {
  const reads: Record<string, unknown> = {};
  try {
    const value = new Evaluator(scope, reads).value(ast);
    return { ok: true, value, reads };
  } catch (error) {
    if (error instanceof Failure) return { ok: false, error: error.message };
    // Only a hand-built tree deep enough to exhaust the stack gets here.
    return { ok: false, error: `expression could not be evaluated: ${error instanceof Error ? error.message : String(error)}` };
  }
}

class Evaluator {
  constructor(
    private readonly scope: Scope,
    private readonly reads: Record<string, unknown>,
  ) {}

  value(expr: Expr): unknown {
    switch (expr.kind) {
      case 'literal':
        return expr.value;
      case 'path':
        return this.lookup(expr.path);
      case 'member':
        return this.field(this.value(expr.object), expr.name, expr.object);
      case 'index':
        return this.element(expr);
      case 'unary':
        return this.unary(expr.operator, this.value(expr.operand));
      case 'binary':
        return this.binary(expr);
      case 'call':
        return this.call(expr);
    }
  }

  private lookup(path: string[]): unknown {
    const refused = path.find((name) => REFUSED_FIELD_NAMES.has(name));
    if (refused !== undefined) throw new Failure(`field name '${refused}' is refused`);
    const name = path.join('.');
    const result = safeLookup(this.scope, path);
    if ('failure' in result) throw new Failure(result.failure);
    // A Scope answering `found` with undefined has nothing there: that is a missing fact.
    if (!result.found || result.value === undefined) throw new Failure(missingFactMessage(name, result.found ? {} : result), true);
    if (!isExpressionValue(result.value)) throw new Failure(`fact '${name}' holds a ${typeof result.value}, which expressions cannot use`);
    this.reads[name] = result.value;
    return result.value;
  }

  private field(container: unknown, name: string, from: Expr): unknown {
    if (REFUSED_FIELD_NAMES.has(name)) throw new Failure(`field name '${name}' is refused`);
    const field = ownField(container, name);
    if (field.found && isExpressionValue(field.value)) return field.value;
    const where = printExpression(from);
    if (!isPlainObject(container) && !Array.isArray(container)) {
      throw new Failure(`cannot read '${name}' of ${describeValue(container)} (${where})`, true);
    }
    throw new Failure(missingFactMessage(`${where}.${name}`, { available: fieldNames(container), at: where }), true);
  }

  private element(expr: Expr & { kind: 'index' }): unknown {
    const container = this.value(expr.object);
    const index = this.value(expr.index);
    if (Array.isArray(container)) {
      if (typeof index !== 'number' || !Number.isInteger(index)) {
        throw new Failure(`array index must be a whole number, got ${describeValue(index)}`);
      }
      // Negative indexes count from the end, so `samples[-1]` is the last one.
      const position = index < 0 ? container.length + index : index;
      if (position < 0 || position >= container.length) {
        throw new Failure(`index ${index} is outside ${printExpression(expr.object)} (${container.length} items)`, true);
      }
      const value: unknown = container[position];
      if (!isExpressionValue(value)) throw new Failure(`${printExpression(expr)} holds a ${typeof value}, which expressions cannot use`);
      return value;
    }
    if (isPlainObject(container)) {
      if (typeof index !== 'string') throw new Failure(`object key must be a string, got ${describeValue(index)}`);
      return this.field(container, index, expr.object);
    }
    throw new Failure(`cannot index ${describeValue(container)} (${printExpression(expr.object)})`);
  }

  private unary(operator: '-' | 'not', operand: unknown): unknown {
    if (operator === 'not') return !this.boolean('not', operand);
    if (typeof operand !== 'number') throw new Failure(`cannot negate ${describeValue(operand)}`);
    return -operand;
  }

  private binary(expr: Expr & { kind: 'binary' }): unknown {
    const { operator } = expr;
    if (operator === 'and' || operator === 'or') {
      const left = this.boolean(operator, this.value(expr.left));
      // Short-circuit: `has(x) and x > 1` must not read x when it is missing.
      if (operator === 'and' ? !left : left) return left;
      return this.boolean(operator, this.value(expr.right));
    }
    return binaryOperation(operator, this.value(expr.left), this.value(expr.right));
  }

  private call(expr: Expr & { kind: 'call' }): unknown {
    if (expr.name === 'has') {
      return expr.args.length === 1 && this.present(expr.args[0] as Expr) !== undefined;
    }
    if (expr.name === 'if') {
      // Lazy like `and`: the branch not taken may name facts that do not exist.
      if (expr.args.length !== 3) throw new Failure(`if() takes 3 arguments (condition, then, else), got ${expr.args.length}`);
      return this.value(this.boolean('if', this.value(expr.args[0] as Expr)) ? (expr.args[1] as Expr) : (expr.args[2] as Expr));
    }
    if (expr.name === 'coalesce') {
      for (const arg of expr.args) {
        const value = this.present(arg);
        if (value !== undefined && value !== null) return value;
      }
      return null;
    }
    const result = callFunction(expr.name, expr.args.map((arg) => this.value(arg)));
    if (!result.ok) throw new Failure(result.error);
    return result.value;
  }

  /** The value, or undefined when a fact it needs is missing; other errors still fail. */
  private present(expr: Expr): unknown {
    try {
      return this.value(expr);
    } catch (error) {
      if (error instanceof Failure && error.missing) return undefined;
      throw error;
    }
  }

  private boolean(operator: string, value: unknown): boolean {
    if (typeof value !== 'boolean') throw new Failure(`'${operator}' needs true or false, got ${describeValue(value)}`);
    return value;
  }
}

function binaryOperation(operator: Exclude<BinaryOperator, 'and' | 'or'>, left: unknown, right: unknown): unknown {
  switch (operator) {
    case '==':
    case '!=': {
      if (left !== null && right !== null && typeName(left) !== typeName(right)) {
        throw new Failure(`cannot compare ${describeValue(left)} with ${describeValue(right)}${conversionHint(left, right)}`);
      }
      return deepEqual(left, right) === (operator === '==');
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return order(operator, left, right);
    case 'in':
    case 'not in':
      return contains(right, left) === (operator === 'in');
    case '+':
      if (typeof left === 'string' && typeof right === 'string') return left + right;
      return arithmetic(operator, left, right);
    default:
      return arithmetic(operator, left, right);
  }
}

function order(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  const comparable =
    (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) {
    throw new Failure(`cannot compare ${describeValue(left)} with ${describeValue(right)}${conversionHint(left, right)}`);
  }
  const l = left;
  const r = right;
  switch (operator) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
  }
}

function conversionHint(left: unknown, right: unknown): string {
  const mixed = (typeof left === 'string' && typeof right === 'number') || (typeof left === 'number' && typeof right === 'string');
  return mixed ? ' (use num() to read a number from text)' : '';
}

function contains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((element) => deepEqual(element, item));
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new Failure(`'in' a string needs a string, got ${describeValue(item)}`);
    return container.includes(item);
  }
  if (isPlainObject(container)) {
    if (typeof item !== 'string') throw new Failure(`'in' an object needs a key string, got ${describeValue(item)}`);
    return ownField(container, item).found;
  }
  throw new Failure(`'in' needs an array, string or object on its right, got ${describeValue(container)}`);
}

const VERBS: Record<string, string> = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'take the remainder of' };

function arithmetic(operator: '+' | '-' | '*' | '/' | '%', left: unknown, right: unknown): number {
  if (typeof left !== 'number' || typeof right !== 'number') {
    throw new Failure(`cannot ${VERBS[operator]} ${describeValue(left)} and ${describeValue(right)}${conversionHint(left, right)}`);
  }
  if ((operator === '/' || operator === '%') && right === 0) throw new Failure(`division by zero (${left} ${operator} 0)`);
  const result =
    operator === '+' ? left + right : operator === '-' ? left - right : operator === '*' ? left * right : operator === '/' ? left / right : left % right;
  if (!Number.isFinite(result)) throw new Failure(`${left} ${operator} ${right} is out of range`);
  return result;
}

function isExpressionValue(value: unknown): boolean {
  return value === null || ['number', 'string', 'boolean'].includes(typeof value) || Array.isArray(value) || isPlainObject(value);
}
