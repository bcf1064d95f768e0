// `runbook diff` loads only the asked-for differ (load-differ.ts); the engine's synchronous
// registry is the same list, loaded at once. Each entry must load the differ of its own kind.
import { describe, expect, it } from 'vitest';
import { differKinds, loadDiffer } from '../../src/diffs/load-differ.js';
import { getDiffer } from '../../src/diffs/registry.js';

describe('loadDiffer', () => {
  it('loads, for every kind, the differ of that kind: the same one the registry holds', async () => {
    expect(differKinds().length).toBeGreaterThan(0);
    for (const kind of differKinds()) {
      const differ = await loadDiffer(kind);
      expect(differ?.kind, kind).toBe(kind);
      expect(getDiffer(kind), kind).toBe(differ);
    }
  });

  it('knows nothing of other names, inherited ones included', async () => {
    for (const name of ['mapz', '', 'toString', '__proto__', 'constructor']) {
      expect(await loadDiffer(name), name).toBeUndefined();
      expect(getDiffer(name), name).toBeUndefined();
    }
  });
});
