// `runbook parse` and `runbook diff` load only the asked-for parser or differ
// (parsers/load-parser.ts, diffs/load-differ.ts); the engine's synchronous registries are the
// same lists loaded at once. Each entry must load the one of its own name.
import { describe, expect, it } from 'vitest';
import { differKinds, loadDiffer } from '../../src/diffs/load-differ.js';
import { getDiffer } from '../../src/diffs/registry.js';
import { loadParser, parserNames } from '../../src/parsers/load-parser.js';
import { getParser } from '../../src/parsers/registry.js';

const lists = [
  { what: 'parser', names: parserNames, load: loadParser, get: getParser, nameOf: (p: { name: string }) => p.name },
  { what: 'differ', names: differKinds, load: loadDiffer, get: getDiffer, nameOf: (d: { kind: string }) => d.kind },
] as const;

describe.each(lists)('the $what list', ({ names, load, get, nameOf }) => {
  it('loads, for every name, the one of that name: the same object the registry holds', async () => {
    expect(names().length).toBeGreaterThan(5);
    for (const name of names()) {
      const loaded = await load(name);
      expect(loaded && nameOf(loaded as never), name).toBe(name);
      expect(get(name), name).toBe(loaded);
    }
  });

  it('knows nothing of other names, inherited ones included', async () => {
    for (const name of ['mapz', '', 'toString', '__proto__', 'constructor']) {
      expect(await load(name), name).toBeUndefined();
      expect(get(name), name).toBeUndefined();
    }
  });
});
