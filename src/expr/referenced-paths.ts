// The fact paths an expression reads, so the validator can check each one names an
// input, an earlier step or a built-in before anything runs.

import type { Expr } from './ast.js';

export function referencedPaths(ast: Expr): string[] {
  const paths = new Set<string>();
  const visit = (expr: Expr): void => {
    switch (expr.kind) {
      case 'literal':
        return;
      case 'path':
        paths.add(expr.path.join('.'));
        return;
      case 'member':
      case 'index':
        visit(expr.object);
        if (expr.kind === 'index') visit(expr.index);
        return;
      case 'unary':
        visit(expr.operand);
        return;
      case 'binary':
        visit(expr.left);
        visit(expr.right);
        return;
      case 'call':
        expr.args.forEach(visit);
        return;
    }
  };
  visit(ast);
  return [...paths];
}
