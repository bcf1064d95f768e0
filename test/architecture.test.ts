// The layering rule of docs/architecture.md, read from the real import graph (TypeScript's
// own module resolution over every import, export-from and import() of src/): imports
// point down the layers of test/architecture/layers.ts and never in a circle. The headless
// engine and everything it uses import no React or Ink and never print; only src/cli,
// src/app, src/runner and src/tui talk to the terminal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, layerOf, layerViolations, readImportGraph } from './architecture/import-graph.js';
import { HEADLESS_FROM, LAYERS } from './architecture/layers.js';
import { repoRoot } from './helpers/cli.js';

const srcRoot = join(repoRoot, 'src');
const graph = readImportGraph(srcRoot, join(repoRoot, 'tsconfig.json'));
const headlessFrom = LAYERS.findIndex((layer) => layer.folders.includes(HEADLESS_FROM));
const headless = [...graph.keys()].filter((file) => layerOf(LAYERS, file) >= headlessFrom);

describe('architecture', () => {
  it('reads the whole import graph', () => {
    expect(graph.size).toBeGreaterThan(250);
    const edges = [...graph.values()].reduce((sum, targets) => sum + targets.length, 0);
    expect(edges).toBeGreaterThan(800);
    // Lazy import() counts: cli/main.ts loads its commands that way.
    expect(graph.get('cli/main.ts')).toContain('cli/commands/index.ts');
  });

  it('has no import cycle', () => {
    expect(findCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('imports point down the layers', () => {
    expect(layerViolations(graph, LAYERS)).toEqual([]);
  });

  it('headless code imports no React or Ink', () => {
    const offenders = headless.filter((file) => /from '(ink|react)[^']*'|import\('(ink|react)/.test(readFileSync(join(srcRoot, file), 'utf8')));
    expect(headless.length).toBeGreaterThan(150);
    expect(offenders).toEqual([]);
  });

  it('headless code never prints', () => {
    const offenders = headless.filter((file) => /\bconsole\.|(?<![\w.])process\.(stdout|stderr)\b/.test(readFileSync(join(srcRoot, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
