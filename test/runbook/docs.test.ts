// docs/runbook-format.md stays true: its complete example validates, and every key of
// the format definition is documented.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runbookDefinition } from '../../src/runbook/definition.js';
import { formatProblem } from '../../src/runbook/problem.js';
import type { Shape } from '../../src/runbook/shape.js';
import { validateRunbookSource } from '../../src/runbook/validate.js';
import { parserNames } from '../../src/parsers/registry.js';

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

  it('names every registered parser in its parsers section, with the examples there valid (issue 16)', () => {
    const section = /## Parsers: `parse` and `parse_options`\n([\s\S]*?)\n## /.exec(doc)?.[1] ?? '';
    expect(parserNames().filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
    for (const option of ['skip_empty', 'pattern', 'flags', 'all', 'separator']) expect(section).toContain(`\`${option}`);
    const steps = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const text = `id: p\ntitle: t\nsummary: s\ninputs:\n  pid: { type: pid }\nsteps:\n${steps}  - id: too_many\n    conclude: { finding: f, severity: info, text: t }\n`;
    const result = validateRunbookSource(text, { displayName: 'p.yaml', absolutePath: '/p.yaml', sha256: '' });
    expect(result.problems.map(formatProblem)).toEqual([]);
  });
});
