// Every validator rule has a broken fixture (test/fixtures/runbooks/broken/RULE.yaml)
// whose exact `FILE:LINE:COL: message` lines are listed here, and a fixed twin
// (valid/RULE.yaml) that must load cleanly. The expected lines are in expected-problems.ts.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRunbookFile } from '../../src/runbook/load.js';
import { formatProblem } from '../../src/runbook/problem.js';
import { expectedProblems } from './expected-problems.js';
import { getParser, parserNames } from '../../src/parsers/registry.js';
import { validateRunbookSource } from '../../src/runbook/validate.js';

const fixtures = 'test/fixtures/runbooks';


const rules = Object.keys(expectedProblems);

describe('validator rules', () => {
  it('has an expectation for every broken fixture and a fixed twin for every rule but empty-file', () => {
    const broken = readdirSync(`${fixtures}/broken`).map((name) => name.replace(/\.yaml$/, ''));
    expect(broken.sort()).toEqual([...rules].sort());
    const valid = new Set(readdirSync(`${fixtures}/valid`).map((name) => name.replace(/\.yaml$/, '')));
    expect(rules.filter((rule) => !valid.has(rule))).toEqual(['empty-file']);
  });

  for (const rule of rules) {
    it(`${rule}: reports each mistake on its own line`, async () => {
      const file = `${fixtures}/broken/${rule}.yaml`;
      const result = await loadRunbookFile(file);
      expect(result.runbook).toBeUndefined();
      expect(result.problems.map(formatProblem)).toEqual(expectedProblems[rule]!.map((line) => `${file}:${line}`));
    });
    if (rule === 'empty-file') continue;
    it(`${rule}: the fixed runbook is valid`, async () => {
      const result = await loadRunbookFile(`${fixtures}/valid/${rule}.yaml`);
      expect(result.problems.map(formatProblem)).toEqual([]);
      expect(result.runbook?.id).toBe(rule);
    });
  }
});

describe('parse: names', () => {
  // The registry is empty on the format branch; other branches register parsers. Once
  // any are registered this checks that each is accepted (the failing case is
  // broken/unknown-parser.yaml, a name that will never exist).
  it.runIf(parserNames().length > 0)('accepts every registered parser, given the options it requires', () => {
    for (const name of parserNames()) {
      const required = Object.entries(getParser(name)?.requiredOptions ?? {}).map(([option, { example }]) => `${option}: ${example}`);
      const options = required.length > 0 ? `, parse_options: { ${required.join(', ')} }` : '';
      const text = `id: p\ntitle: t\nsummary: s\nsteps:\n  - id: one\n    run: { argv: [uptime], parse: ${name}${options} }\n`;
      const result = validateRunbookSource(text, { displayName: 'p.yaml', absolutePath: '/p.yaml', sha256: '' });
      expect(result.problems.map(formatProblem)).toEqual([]);
    }
  });
});
