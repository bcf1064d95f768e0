// What `runbook capture` says about each snapshot: what was captured, then warnings only
// for what a replay will lack. `vars` (expvar's /debug/vars) is read first for MemStats,
// but many services import net/http/pprof without expvar, and the heap profile's trailer
// carries the same MemStats: when memstats came from there, a missing /debug/vars costs a
// replay only the service's own expvar variables, which is said once, not warned about.
import { basename } from 'node:path';
import type { SnapshotResult } from '../collectors/types.js';
import { collectorSpecs } from '../collectors/evidence.js';
import type { Collector } from '../runbook/types.js';

export interface SnapshotReport {
  /** `snapshot 0: status, smaps_rollup, …, memstats (from heap.txt) · 9 files` */
  line: string;
  /** `name: reason` of collectors a replay will lack. */
  lacking: string[];
  /** Collectors not captured whose facts came from elsewhere: `vars: GET … answered 404 (MemStats from heap.txt)`. */
  covered: string[];
}

export function snapshotReport(index: number, snapshot: SnapshotResult, requested: readonly Collector[]): SnapshotReport {
  const missing = (snapshot.facts['missing'] ?? {}) as Record<string, unknown>;
  const captured = requested.filter((name) => snapshot.artifacts[name] !== undefined && missing[name] === undefined);
  const files = new Set(Object.values(snapshot.artifacts)).size;
  const shown = captured.map((name) => {
    const file = basename(snapshot.artifacts[name]!);
    // A live capture never fetches a bundle-only file (goroutine2.txt): the first it can fetch is the usual one.
    const preferred = collectorSpecs[name].primary.find((evidence) => evidence.bundleOnly !== true)?.file;
    return preferred !== undefined && file !== preferred ? `${name} (from ${file})` : name;
  });
  const lacking: string[] = [];
  const covered: string[] = [];
  for (const name of requested) {
    if (captured.includes(name)) continue;
    const reason = String(missing[name] ?? 'not captured');
    if (name === 'vars' && captured.includes('memstats')) covered.push(`vars: ${reason} (MemStats from ${basename(snapshot.artifacts['memstats']!)}; only the service's own expvar variables are absent)`);
    else lacking.push(`${name}: ${reason}`);
  }
  const line = `snapshot ${index}: ${shown.length > 0 ? shown.join(', ') : 'nothing'} · ${files} file${files === 1 ? '' : 's'}`;
  return { line, lacking, covered };
}
