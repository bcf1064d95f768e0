import { evaluate, parseExpression, scopeFrom, type Scope } from '../../src/expr/index.js';

export const facts = {
  after: { status: { vm_rss_kb: 204800, state: 'S' }, maps: [10, 20, 30], missing: null },
  before: { status: { vm_rss_kb: 102400 } },
  compare: { stw_p99_ms: 27.1, heap_count: '42' },
  stw_p99_ms: 27.1,
  name: 'api-server',
  tags: ['go', 'prod'],
  flag: true,
};

export const scope: Scope = scopeFrom([facts]);

/** Parses and evaluates, failing the test on a parse error. */
export function run(source: string, over: Scope = scope) {
  const parsed = parseExpression(source);
  if (!parsed.ok) throw new Error(`parse failed: ${parsed.error.message} at ${parsed.error.offset}`);
  return evaluate(parsed.ast, over);
}

export function value(source: string, over: Scope = scope): unknown {
  const result = run(source, over);
  if (!result.ok) throw new Error(`evaluation failed: ${result.error}`);
  return result.value;
}

export function error(source: string, over: Scope = scope): string {
  const result = run(source, over);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}
