// Recursive-descent parser: tokens to an Expr tree. Precedence, lowest first:
//   or  <  and  <  not  <  comparison (== != < <= > >= in, not in)  <  + -  <  * / %
//   <  unary -  <  postfix (.name, [index], call)
// Comparisons do not chain (`a < b < c` is an error) because the Python and JavaScript
// readings differ and a runbook author should not have to know which one applies.

import type { BinaryOperator, Expr } from './ast.js';
import { FUNCTION_NAMES } from './functions.js';
import { REFUSED_FIELD_NAMES } from './values.js';
import { tokenize, type Token } from './tokenizer.js';

export type ParseResult =
  | { ok: true; ast: Expr }
  | { ok: false; error: { message: string; offset: number } };

/** Expressions live in one YAML line; anything longer is a mistake or an attack. */
export const MAX_EXPRESSION_LENGTH = 4096;
/** Bounds the recursion so hostile input cannot overflow the stack. */
const MAX_DEPTH = 64;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

class ParseError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

export function parseExpression(source: string): ParseResult {
  if (typeof source !== 'string') return { ok: false, error: { message: 'expression must be text', offset: 0 } };
  if (source.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, error: { message: `expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, offset: MAX_EXPRESSION_LENGTH } };
  }
  const tokens = tokenize(source);
  if (!tokens.ok) return tokens;
  if (tokens.tokens.length === 1) return { ok: false, error: { message: 'empty expression', offset: 0 } };
  try {
    return { ok: true, ast: new Parser(tokens.tokens).parseAll() };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, error: { message: error.message, offset: error.offset } };
    throw error;
  }
}

class Parser {
  private position = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): Expr {
    const expr = this.parseOr();
    const token = this.peek();
    if (token.type !== 'end') throw new ParseError(`unexpected ${describeToken(token)}`, token.offset);
    return expr;
  }

  private parseOr(): Expr {
    return this.leftAssociative((token) => (this.isWord(token, 'or') || this.isOperator(token, '||') ? 'or' : undefined), () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.leftAssociative((token) => (this.isWord(token, 'and') || this.isOperator(token, '&&') ? 'and' : undefined), () => this.parseNot());
  }

  private parseNot(): Expr {
    const token = this.peek();
    if (this.isWord(token, 'not') || this.isOperator(token, '!')) {
      this.position++;
      return this.nested(() => ({ kind: 'unary', operator: 'not', operand: this.parseNot(), offset: token.offset }));
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    const operator = this.comparisonOperator();
    if (operator === undefined) return left;
    const token = this.peek();
    this.position += operator === 'not in' ? 2 : 1;
    const right = this.parseAdditive();
    const chained = this.comparisonOperator();
    if (chained !== undefined) {
      throw new ParseError(`comparisons cannot be chained: use 'and' between them`, this.peek().offset);
    }
    return { kind: 'binary', operator, left, right, offset: token.offset };
  }

  private comparisonOperator(): BinaryOperator | undefined {
    const token = this.peek();
    if (token.type === 'operator' && COMPARISONS.has(token.value)) return token.value as BinaryOperator;
    if (this.isWord(token, 'in')) return 'in';
    if (this.isWord(token, 'not') && this.isWord(this.peek(1), 'in')) return 'not in';
    return undefined;
  }

  private parseAdditive(): Expr {
    return this.leftAssociative((token) => operatorIn(token, ['+', '-']), () => this.parseMultiplicative());
  }

  private parseMultiplicative(): Expr {
    return this.leftAssociative((token) => operatorIn(token, ['*', '/', '%']), () => this.parseUnary());
  }

  /** `operand { operator operand }`, grouping to the left: 1 - 2 - 3 is (1 - 2) - 3. */
  private leftAssociative(operatorOf: (token: Token) => BinaryOperator | undefined, parseOperand: () => Expr): Expr {
    let left = parseOperand();
    for (let operator = operatorOf(this.peek()); operator !== undefined; operator = operatorOf(this.peek())) {
      const token = this.next();
      left = { kind: 'binary', operator, left, right: parseOperand(), offset: token.offset };
    }
    return left;
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (this.isOperator(token, '-')) {
      this.position++;
      return this.nested(() => ({ kind: 'unary', operator: '-', operand: this.parseUnary(), offset: token.offset }));
    }
    if (this.isOperator(token, '+')) throw new ParseError("unary '+' is not supported", token.offset);
    return this.parsePostfix();
  }

  private parsePostfix(): Expr {
    let expr = this.parsePrimary();
    for (;;) {
      const token = this.peek();
      if (this.isOperator(token, '.')) {
        this.position++;
        const name = this.fieldName();
        expr =
          expr.kind === 'path'
            ? { kind: 'path', path: [...expr.path, name], offset: expr.offset }
            : { kind: 'member', object: expr, name, offset: token.offset };
      } else if (this.isOperator(token, '[')) {
        this.position++;
        const index = this.nested(() => this.parseOr());
        this.expectOperator(']', "']' to close the index");
        expr = { kind: 'index', object: expr, index, offset: token.offset };
      } else {
        return expr;
      }
    }
  }

  private parsePrimary(): Expr {
    const token = this.next();
    switch (token.type) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: token.value, offset: token.offset };
      case 'identifier':
        return this.identifier(token);
      case 'operator':
        if (token.value === '(') {
          const inner = this.nested(() => this.parseOr());
          this.expectOperator(')', "')' to close '('");
          return inner;
        }
        throw new ParseError(`expected a value, found ${describeToken(token)}`, token.offset);
      case 'end':
        throw new ParseError('expression ends too early: expected a value', token.offset);
    }
  }

  private identifier(token: Token & { type: 'identifier' }): Expr {
    const name = token.value;
    if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true', offset: token.offset };
    if (name === 'null') return { kind: 'literal', value: null, offset: token.offset };
    if (KEYWORDS.has(name)) throw new ParseError(`expected a value, found '${name}'`, token.offset);
    if (this.isOperator(this.peek(), '(')) return this.call(token);
    refuseFieldName(name, token.offset);
    return { kind: 'path', path: [name], offset: token.offset };
  }

  private call(token: Token & { type: 'identifier' }): Expr {
    if (!FUNCTION_NAMES.includes(token.value)) {
      throw new ParseError(`unknown function '${token.value}' (known: ${FUNCTION_NAMES.join(', ')})`, token.offset);
    }
    this.position++;
    const args: Expr[] = [];
    if (!this.isOperator(this.peek(), ')')) {
      for (;;) {
        args.push(this.nested(() => this.parseOr()));
        if (!this.isOperator(this.peek(), ',')) break;
        this.position++;
      }
    }
    this.expectOperator(')', `')' to close the call of ${token.value}()`);
    if (token.value === 'has') {
      const arg = args[0];
      if (args.length !== 1 || arg === undefined || !isReference(arg)) {
        throw new ParseError('has() takes one fact path, e.g. has(after.memstats.heap_sys)', token.offset);
      }
    }
    return { kind: 'call', name: token.value, args, offset: token.offset };
  }

  private fieldName(): string {
    const token = this.next();
    if (token.type !== 'identifier') throw new ParseError(`expected a field name after '.', found ${describeToken(token)}`, token.offset);
    refuseFieldName(token.value, token.offset);
    return token.value;
  }

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new ParseError(`expression nested more than ${MAX_DEPTH} levels deep`, this.peek().offset);
    const result = parse();
    this.depth--;
    return result;
  }

  private expectOperator(value: string, what: string): void {
    const token = this.next();
    if (!this.isOperator(token, value)) throw new ParseError(`expected ${what}, found ${describeToken(token)}`, token.offset);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.position + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.position++;
    return token;
  }

  private isOperator(token: Token, value: string): boolean {
    return token.type === 'operator' && token.value === value;
  }

  private isWord(token: Token, value: string): boolean {
    return token.type === 'identifier' && token.value === value;
  }
}

function operatorIn(token: Token, operators: BinaryOperator[]): BinaryOperator | undefined {
  return token.type === 'operator' ? operators.find((operator) => operator === token.value) : undefined;
}

/** A fact reference: what has() accepts and what may be missing. */
function isReference(expr: Expr): boolean {
  return expr.kind === 'path' || expr.kind === 'member' || expr.kind === 'index';
}

function refuseFieldName(name: string, offset: number): void {
  if (REFUSED_FIELD_NAMES.has(name)) throw new ParseError(`field name '${name}' is refused`, offset);
}

function describeToken(token: Token): string {
  switch (token.type) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return 'a string';
    case 'number':
      return `number ${token.value}`;
    default:
      return `'${token.value}'`;
  }
}
