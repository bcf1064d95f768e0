// What each snapshot collector gathers: the evidence files (bundle layout of
// docs/design.md), where each comes from on a live process, and which registered
// parser and diff turn the main file into facts.
import type { Parser } from '../parsers/types.js';
import type { Collector } from '../runbook/types.js';
import { goRuntimeEnviron } from '../parsers/proc-environ.js';
import { executionTraceParser } from './execution-trace.js';
import { expvarVarsParser } from './expvar-vars.js';

export type EvidenceSource =
  /** /proc/PID/<file>, read in one read(). */
  | { proc: string }
  /** A path under the net/http/pprof base URL. */
  | { http: string; timeoutMs: number; maxBytes: number }
  /** The log the process writes with GODEBUG=gctrace=1 (bundle: DIR/gctrace.log). */
  | { gctraceLog: true }
  /** Two samples of the host's and the process's CPU counters (collectors/host-cpu.ts). */
  | { hostCpu: true }
  /** Read out of this snapshot's execution trace with the Go toolchain here (collectors/go-tool-trace.ts). */
  | { goToolTrace: 'events' | 'syscall' };

export interface EvidenceFile {
  /** File name inside a snapshot directory. */
  file: string;
  source: EvidenceSource;
  /** What of the bytes read may be written and parsed; absent: all of them. */
  keep?: (bytes: Uint8Array) => Uint8Array;
  /** Started as soon as the snapshot starts, so that windows of the process (a CPU
   *  profile and an execution trace) cover the same seconds. */
  concurrent?: true;
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
}

const mib = 1 << 20;
const profile = { timeoutMs: 15_000, maxBytes: 32 * mib };

/** The window a CPU profile and an execution trace cover: long enough to catch GCs running
 *  a few times a second, short enough to bound their cost (docs/collectors.md). */
export const PROFILE_WINDOW_SECONDS = 5;
const window = { timeoutMs: PROFILE_WINDOW_SECONDS * 1000 + 30_000, maxBytes: 64 * mib };
export const executionTrace: EvidenceFile = { file: 'trace.out', source: { http: `/debug/pprof/trace?seconds=${PROFILE_WINDOW_SECONDS}`, ...window }, concurrent: true };

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
  gctrace: { name: 'gctrace', primary: [{ file: 'gctrace.log', source: { gctraceLog: true } }], extra: [], parser: 'gctrace' },
  // The environment holds secrets: only the Go runtime variables reach the disk and the facts.
  host_cpu: { name: 'host_cpu', primary: [{ file: 'host_cpu', source: { hostCpu: true } }], extra: [], parser: 'host-cpu' },
  environ: { name: 'environ', primary: [{ file: 'environ', source: { proc: 'environ' }, keep: goRuntimeEnviron }], extra: [], parser: 'proc-environ' },
  // The profile and the trace cost the process while they run: a runbook takes them only
  // after asking, and `runbook capture` only with --profile.
  cpu_profile: {
    name: 'cpu_profile',
    primary: [{ file: 'cpu.pb.gz', source: { http: `/debug/pprof/profile?seconds=${PROFILE_WINDOW_SECONDS}`, ...window }, concurrent: true }],
    extra: [],
    parser: 'pprof-hotspots',
  },
  exec_trace: { name: 'exec_trace', primary: [executionTrace], extra: [], parser: executionTraceParser },
  trace_stw: { name: 'trace_stw', primary: [{ file: 'trace-stw.json', source: { goToolTrace: 'events' } }], extra: [], parser: 'json' },
  trace_syscalls: { name: 'trace_syscalls', primary: [{ file: 'trace-syscall.pb.gz', source: { goToolTrace: 'syscall' } }], extra: [], parser: 'pprof-hotspots' },
};
