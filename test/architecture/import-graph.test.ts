// The checks of the architecture test fail when they should: a small graph with a cycle
// and an upward edge, and the real resolver on files written for the purpose.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findCycles, layerViolations, readImportGraph, type ImportGraph, type Layer } from './import-graph.js';

const layers: Layer[] = [
  { name: 'front', folders: ['ui', 'plain'] },
  { name: 'core', folders: ['core'] },
  { name: 'base', folders: ['util'] },
];

function graphOf(edges: Record<string, string[]>): ImportGraph {
  return new Map(Object.entries(edges));
}

describe('findCycles', () => {
  it('names every file of a cycle, closed', () => {
    const graph = graphOf({ 'core/a.ts': ['core/b.ts'], 'core/b.ts': ['core/c.ts'], 'core/c.ts': ['core/a.ts', 'util/x.ts'], 'util/x.ts': [] });
    expect(findCycles(graph)).toEqual([['core/a.ts', 'core/b.ts', 'core/c.ts', 'core/a.ts']]);
  });

  it('finds a file importing itself and two separate cycles', () => {
    const graph = graphOf({ 'util/x.ts': ['util/x.ts'], 'ui/a.ts': ['ui/b.ts'], 'ui/b.ts': ['ui/a.ts'], 'core/c.ts': ['util/x.ts'] });
    expect(findCycles(graph).map((cycle) => cycle.join(' → ')).sort()).toEqual(['ui/a.ts → ui/b.ts → ui/a.ts', 'util/x.ts → util/x.ts']);
  });

  it('finds none in a graph that only points down', () => {
    const graph = graphOf({ 'ui/a.ts': ['core/b.ts', 'util/x.ts'], 'core/b.ts': ['util/x.ts'], 'util/x.ts': [] });
    expect(findCycles(graph)).toEqual([]);
  });
});

describe('layerViolations', () => {
  it('names the upward edge, the sideways one and a folder of no layer', () => {
    const graph = graphOf({
      'ui/a.ts': ['core/b.ts'],
      'core/b.ts': ['ui/a.ts', 'util/x.ts'],
      'plain/p.ts': ['ui/a.ts'],
      'stray/s.ts': [],
      'util/x.ts': [],
    });
    expect(layerViolations(graph, layers)).toEqual([
      'core/b.ts → ui/a.ts: core imports up into front',
      'plain/p.ts → ui/a.ts: sideways within front (plain/ and ui/)',
      'stray/s.ts: its folder is in no layer (add it to the layer list)',
    ]);
  });

  it('accepts imports within a folder and down any number of layers', () => {
    const graph = graphOf({ 'ui/a.ts': ['ui/b.ts', 'util/x.ts'], 'ui/b.ts': ['core/c.ts'], 'core/c.ts': [], 'util/x.ts': [] });
    expect(layerViolations(graph, layers)).toEqual([]);
  });
});

describe('readImportGraph', () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-graph-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves static, type-only, re-exported and lazy imports the way tsc does', () => {
    const src = join(dir, 'src');
    for (const folder of ['ui', 'core', 'util']) mkdirSync(join(src, folder), { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', jsx: 'react-jsx', strict: true } }));
    writeFileSync(join(src, 'ui', 'view.tsx'), "import { b } from '../core/b.js';\nexport const view = b;\n");
    writeFileSync(join(src, 'core', 'b.ts'), "import type { X } from '../util/x.js';\nexport { y } from '../util/y.js';\nexport const b: X = 1;\nexport async function later() { return import('../ui/view.js'); }\n");
    writeFileSync(join(src, 'util', 'x.ts'), "import { readFileSync } from 'node:fs';\nexport type X = number;\nexport const read = readFileSync;\n");
    writeFileSync(join(src, 'util', 'y.ts'), 'export const y = 2;\n');
    const graph = readImportGraph(src, join(dir, 'tsconfig.json'));
    expect(Object.fromEntries(graph)).toEqual({
      'core/b.ts': ['ui/view.tsx', 'util/x.ts', 'util/y.ts'],
      'ui/view.tsx': ['core/b.ts'],
      'util/x.ts': [],
      'util/y.ts': [],
    });
    expect(findCycles(graph)).toEqual([['core/b.ts', 'ui/view.tsx', 'core/b.ts']]);
    expect(layerViolations(graph, layers)).toEqual(['core/b.ts → ui/view.tsx: core imports up into front']);
  });
});
