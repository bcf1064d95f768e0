import { describe, expect, it } from 'vitest';
import { keyFacts } from '../../src/facts/key-facts.js';
import type { Step } from '../../src/runbook/types.js';

const compute = { id: 'classify', kind: 'compute', title: 'Which GC cost is it?', compute: { a: 'x' } } as unknown as Step;

describe('keyFacts', () => {
  it("a compute step's one-line summary leaves out empty texts and nulls, in human units", () => {
    expect(keyFacts(compute, { stw_max_ms: 2.81, note: '', pressure: false, missing_reason: null, gogc: 25 })).toEqual([
      ['stw_max_ms', '2.81 ms'],
      ['pressure', 'no'],
      ['gogc', '25'],
    ]);
  });
});
