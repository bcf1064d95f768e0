import { describe, expect, it } from 'vitest';
import { explainDecision } from '../../src/expr/index.js';
import { run } from './helpers.js';

function explained(source: string): string {
  const result = run(source);
  if (!result.ok) throw new Error(result.error);
  return explainDecision(source, result.reads, result.value);
}

describe('explainDecision', () => {
  it('shows each value read, then the expression with the values in place', () => {
    expect(explained('stw_p99_ms > 10')).toBe('stw_p99_ms = 27.1; 27.1 > 10 is true');
    expect(explained('(after.status.vm_rss_kb - before.status.vm_rss_kb) / 1024 >= 100')).toBe(
      'after.status.vm_rss_kb = 204800; before.status.vm_rss_kb = 102400; (204800 - 102400) / 1024 >= 100 is true',
    );
  });

  it('says a condition that is one fact once', () => {
    expect(explained('flag')).toBe('flag = true');
    expect(explained('not flag')).toBe('flag = true; not true is false');
  });

  it('keeps has() naming its path and quotes strings', () => {
    expect(explained("has(after.memstats) or after.status.state == 'S'")).toBe(
      "after.status.state = 'S'; has(after.memstats) or 'S' == 'S' is true",
    );
  });

  it('shows a negative value so it still reads as one operand', () => {
    expect(explainDecision('0 - x', { x: -3 }, 3)).toBe('x = -3; 0 - -3 is 3');
    expect(explainDecision('x * 2', { x: [1, 2, 3, 4, 5, 6] }, null)).toBe('x = [6 items]; [6 items] * 2 is null');
  });

  it('falls back to the source text when it does not parse', () => {
    expect(explainDecision(' a > ', {}, false)).toBe('a > is false');
  });
});
