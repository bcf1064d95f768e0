// One line telling people why a branch was taken:
//   "compare.stw_p99_ms = 27.1; 27.1 > 10 is true"

import { parseExpression } from './parser.js';
import { printExpression } from './print.js';
import { showValue } from './values.js';

export function explainDecision(source: string, reads: Record<string, unknown>, result: unknown): string {
  const values = Object.entries(reads).map(([path, value]) => `${path} = ${showValue(value)}`);
  const parsed = parseExpression(source);
  const substituted = parsed.ok ? printExpression(parsed.ast, reads) : source.trim();
  // A condition that is one fact (`when: has_runtime`) says it all in "has_runtime = true".
  if (values.length === 1 && substituted === showValue(result)) return values[0]!;
  return [...values, `${substituted} is ${showValue(result)}`].join('; ');
}
