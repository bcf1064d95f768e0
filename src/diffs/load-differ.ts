// The one list of snapshot diffs (`runbook diff KIND`, snapshot `compare_to`), each loaded
// on demand: `runbook diff maps` loads the maps differ alone, not the goroutine differ's
// YAML signature catalogue and every parser (~45 ms of CPU at start, issue 19).
// registry.ts loads them all for code that looks differs up synchronously.
import type { Differ } from '../parsers/types.js';

const loaders: Record<string, () => Promise<Differ>> = {
  maps: async () => (await import('./maps.js')).mapsDiffer,
  status: async () => (await import('./status.js')).statusDiffer,
  'smaps-rollup': async () => (await import('./smaps-rollup.js')).smapsRollupDiffer,
  pprof: async () => (await import('./pprof.js')).pprofDiffer,
  goroutines: async () => (await import('./goroutines.js')).goroutinesDiffer,
  memstats: async () => (await import('./memstats.js')).memstatsDiffer,
  escape: async () => (await import('./escape.js')).escapeDiffer,
  smaps: async () => (await import('./smaps.js')).smapsDiffer,
};

export function differKinds(): string[] {
  return Object.keys(loaders);
}

export async function loadDiffer(kind: string): Promise<Differ | undefined> {
  return Object.hasOwn(loaders, kind) ? loaders[kind]!() : undefined;
}
