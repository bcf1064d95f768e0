// The expression language of `when:` and `compute:` (docs/expressions.md).

export type { BinaryOperator, Expr, Literal } from './ast.js';
export { parseExpression, MAX_EXPRESSION_LENGTH, type ParseResult } from './parser.js';
export { evaluate, type EvaluateResult } from './evaluate.js';
export { referencedPaths } from './referenced-paths.js';
export { explainDecision } from './explain.js';
export { printExpression } from './print.js';
export { scopeFrom, missingFactMessage, type Scope, type LookupResult } from './scope.js';
export { FUNCTION_NAMES } from './functions.js';
