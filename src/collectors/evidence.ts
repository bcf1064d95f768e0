// What each snapshot collector gathers: the evidence files (bundle layout of
// docs/design.md), where each comes from on a live process, and which registered
// parser and diff turn the main file into facts.
import type { Parser } from '../parsers/types.js';
import type { Collector } from '../runbook/types.js';
import { expvarVarsParser } from './expvar-vars.js';
import type { ProcReadBounds } from './proc-file.js';

export type EvidenceSource =
  /** /proc/PID/<file>, read whole (bounds: collectors/proc-file.ts's default when absent). */
  | { proc: string; bounds?: ProcReadBounds }
  /** A path under the net/http/pprof base URL. */
  | { http: string; timeoutMs: number; maxBytes: number }
  /** The log the process writes with GODEBUG=gctrace=1 (bundle: DIR/gctrace.log). */
  | { gctraceLog: true };

export interface EvidenceFile {
  /** File name inside a snapshot directory. */
  file: string;
  source: EvidenceSource;
}

export interface CollectorSpec {
  name: Collector;
  /** Alternatives in order of preference: the first one obtained is parsed. */
  primary: EvidenceFile[];
  /** Kept beside the primary file for people and tools (`go tool pprof`), not parsed. */
  extra: EvidenceFile[];
  /** A registered parser name (parsers/registry.ts), or a collector-private parser. */
  parser: string | Parser;
  /** Diff kind in diffs/registry.ts for `compareTo`; absent when no diff makes sense. */
  diff?: string;
  /** The earlier snapshot's file the diff reads, when not the same file name. */
  diffBase?: string;
}

const mib = 1 << 20;
const profile = { timeoutMs: 15_000, maxBytes: 32 * mib };

const varsJson: EvidenceFile = { file: 'vars.json', source: { http: '/debug/vars', ...profile } };
const heapText: EvidenceFile = { file: 'heap.txt', source: { http: '/debug/pprof/heap?debug=1', ...profile } };

export const collectorSpecs: Record<Collector, CollectorSpec> = {
  status: { name: 'status', primary: [{ file: 'status', source: { proc: 'status' } }], extra: [], parser: 'proc-status', diff: 'status' },
  smaps_rollup: {
    name: 'smaps_rollup',
    primary: [{ file: 'smaps_rollup', source: { proc: 'smaps_rollup' } }],
    extra: [],
    parser: 'smaps-rollup',
    diff: 'smaps-rollup',
  },
  maps: { name: 'maps', primary: [{ file: 'maps', source: { proc: 'maps' } }], extra: [], parser: 'proc-maps', diff: 'maps' },
  heap: {
    name: 'heap',
    primary: [{ file: 'heap.pb.gz', source: { http: '/debug/pprof/heap', ...profile } }],
    extra: [heapText],
    parser: 'pprof',
    diff: 'pprof',
  },
  goroutines: {
    name: 'goroutines',
    primary: [{ file: 'goroutine.txt', source: { http: '/debug/pprof/goroutine?debug=1', ...profile } }],
    extra: [{ file: 'goroutine.pb.gz', source: { http: '/debug/pprof/goroutine', ...profile } }],
    parser: 'goroutines',
    diff: 'goroutines',
  },
  // debug=2 stops the world for the whole dump (domain.md): only when a step asks.
  goroutines_debug2: {
    name: 'goroutines_debug2',
    primary: [{ file: 'goroutine2.txt', source: { http: '/debug/pprof/goroutine?debug=2', timeoutMs: 60_000, maxBytes: 80 * mib } }],
    extra: [],
    parser: 'goroutines',
    diff: 'goroutines',
  },
  // Many services import net/http/pprof but not expvar: the heap?debug=1 trailer
  // carries the same runtime.MemStats.
  memstats: { name: 'memstats', primary: [varsJson, heapText], extra: [], parser: 'memstats', diff: 'memstats' },
  vars: { name: 'vars', primary: [varsJson], extra: [], parser: expvarVarsParser },
  // ~710 B per mapping: 46.5 MB at 65,095 mappings (docs/collectors.md). The first buffer
  // fits that whole (its untouched pages cost no memory): growing 1 → 64 MiB copied 21 MB.
  smaps: {
    name: 'smaps',
    primary: [{ file: 'smaps', source: { proc: 'smaps', bounds: { initialBytes: 64 << 20, maxBytes: 256 << 20 } } }],
    extra: [],
    parser: 'proc-smaps',
    diff: 'smaps',
  },
  // ?gc=1 runs a full GC first (a full mark, two short stop-the-world pauses), so the profile
  // is as of now, not of the last GC: diffed against the earlier snapshot's plain heap profile.
  heap_gc: {
    name: 'heap_gc',
    primary: [{ file: 'heap_gc.pb.gz', source: { http: '/debug/pprof/heap?gc=1', ...profile } }],
    extra: [],
    parser: 'pprof',
    diff: 'pprof',
    diffBase: 'heap.pb.gz',
  },
  gctrace: { name: 'gctrace', primary: [{ file: 'gctrace.log', source: { gctraceLog: true } }], extra: [], parser: 'gctrace' },
};
