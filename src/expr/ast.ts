// The syntax tree of the expression language (docs/expressions.md). Every node keeps the
// offset of its first character so errors and the validator can point at it.

export type Literal = number | string | boolean | null;

export type BinaryOperator =
  | '+' | '-' | '*' | '/' | '%'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | 'in' | 'not in'
  | 'and' | 'or';

export type Expr =
  | { kind: 'literal'; value: Literal; offset: number }
  /** An identifier and the dotted names after it: `after.status.vm_rss_kb`. */
  | { kind: 'path'; path: string[]; offset: number }
  /** `.name` applied to something that is not a plain path, e.g. `a[0].b`. */
  | { kind: 'member'; object: Expr; name: string; offset: number }
  | { kind: 'index'; object: Expr; index: Expr; offset: number }
  | { kind: 'unary'; operator: '-' | 'not'; operand: Expr; offset: number }
  | { kind: 'binary'; operator: BinaryOperator; left: Expr; right: Expr; offset: number }
  | { kind: 'call'; name: string; args: Expr[]; offset: number };
