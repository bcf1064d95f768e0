import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/runbook/did-you-mean.js';

describe('did you mean', () => {
  it('counts insertions, deletions, substitutions and swaps as one edit each', () => {
    expect(editDistance('runn', 'run')).toBe(1);
    expect(editDistance('titel', 'title')).toBe(1);
    expect(editDistance('fetch', 'fetch')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests a close name, an abbreviated one, and nothing for a stranger', () => {
    expect(didYouMean('runn', ['run', 'read'])).toBe('run');
    expect(didYouMean('go-mem', ['go-memory', 'gc-pauses'])).toBe('go-memory');
    expect(didYouMean('banana', ['run', 'read'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});
