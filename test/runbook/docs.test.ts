// docs/runbook-format.md stays true: its complete example validates, and every key of
// the format definition is documented.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runbookDefinition } from '../../src/runbook/definition.js';
import { formatProblem } from '../../src/runbook/problem.js';
import type { Shape } from '../../src/runbook/shape.js';
import { validateRunbookSource } from '../../src/runbook/validate.js';

const doc = readFileSync('docs/runbook-format.md', 'utf8');

function keysOf(shape: Shape): string[] {
  switch (shape.kind) {
    case 'object':
      return Object.entries(shape.properties).flatMap(([key, field]) => [key, ...keysOf(field.shape)]);
    case 'array':
      return keysOf(shape.items);
    case 'map':
      return keysOf(shape.values);
    default:
      return [];
  }
}

describe('docs/runbook-format.md', () => {
  it('has a complete example that validates', () => {
    const example = /## A complete example\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const result = validateRunbookSource(example, { displayName: 'example.yaml', absolutePath: '/example.yaml', sha256: '' });
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.runbook?.steps.map((step) => step.kind)).toEqual(['snapshot', 'wait', 'snapshot', 'compute', 'run', 'conclude', 'conclude']);
  });

  it('documents every key of the definition', () => {
    const undocumented = [...new Set(keysOf(runbookDefinition))].filter((key) => !doc.includes(`\`${key}\``));
    expect(undocumented).toEqual([]);
  });
});
