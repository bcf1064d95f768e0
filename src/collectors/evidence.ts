// What each snapshot collector gathers: the evidence files (bundle layout of
// docs/design.md), where each comes from on a live process, and which registered
// parser and diff turn the main file into facts.
import type { Parser } from '../parsers/types.js';
import type { Collector } from '../runbook/types.js';
import { goRuntimeEnviron } from '../parsers/proc-environ.js';
import { executionTraceParser } from './execution-trace.js';
import { expvarVarsParser } from './expvar-vars.js';
import type { ProcReadBounds } from './proc-file.js';

export type EvidenceSource =
  /** /proc/PID/<file>, read whole (bounds: collectors/proc-file.ts's default when absent). */
  | { proc: string; bounds?: ProcReadBounds }
  /** A path under the net/http/pprof base URL. */
  | { http: string; timeoutMs: number; maxBytes: number }
  /** The log the process writes with GODEBUG=gctrace=1 (bundle: DIR/gctrace.log). */
  | { gctraceLog: true }
  /** A tool attached to the live process on this host (gdb, bpftrace): it stops or slows
   *  the process, so only snapshot steps that ask for it (after a confirmation) run it. */
  | { attach: 'malloc_info' | 'c_allocs' }
  /** Two samples of the host's and the process's CPU counters (collectors/host-cpu.ts). */
  | { hostCpu: true }
  /** Read out of this snapshot's execution trace with the Go toolchain here (collectors/go-tool-trace.ts). */
  | { goToolTrace: 'events' | 'syscall' };

export interface EvidenceFile {
  /** File name inside a snapshot directory. */
  file: string;
  source: EvidenceSource;
  /** Read only from a bundle, never fetched live (a debug=2 dump stops the world: live, only
   *  the collector that asks for it by name takes one). */
  bundleOnly?: true;
  /** In a bundle, a snapshot without the file reads it from the latest earlier snapshot that
   *  has one: `capture --debug2` saves a dump with each snapshot, and a runbook's dump step
   *  comes after its last compared snapshot (or a series read them all). The value says
   *  how a bundle gets one. */
  latestInBundle?: string;
  /** Compressed protobuf: a secret in it is not in its bytes, and masking could corrupt it. */
  binary?: true;
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
  /** Files of the earlier snapshot the diff may compare with when it lacks this one's own
   *  file, in order of preference (a debug=2 dump compares with a debug=1 profile). */
  diffBase?: string[];
}

const mib = 1 << 20;
const profile = { timeoutMs: 15_000, maxBytes: 32 * mib };

/** The window a CPU profile and an execution trace cover: long enough to catch GCs running
 *  a few times a second, short enough to bound their cost (docs/collectors.md). */
export const PROFILE_WINDOW_SECONDS = 5;
const window = { timeoutMs: PROFILE_WINDOW_SECONDS * 1000 + 30_000, maxBytes: 64 * mib };
export const executionTrace: EvidenceFile = { file: 'trace.out', source: { http: `/debug/pprof/trace?seconds=${PROFILE_WINDOW_SECONDS}`, ...window }, concurrent: true, binary: true };

const varsJson: EvidenceFile = { file: 'vars.json', source: { http: '/debug/vars', ...profile } };
const goroutineDebug2: EvidenceFile = { file: 'goroutine2.txt', source: { http: '/debug/pprof/goroutine?debug=2', timeoutMs: 60_000, maxBytes: 80 * mib } };
const goroutineFiles = ['goroutine2.txt', 'goroutine.txt'];
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
    primary: [{ file: 'heap.pb.gz', source: { http: '/debug/pprof/heap', ...profile }, binary: true }],
    extra: [heapText],
    parser: 'pprof',
    diff: 'pprof',
  },
  // A bundle's debug=2 dump (capture --debug2) is preferred on replay: it names creators.
  goroutines: {
    name: 'goroutines',
    primary: [{ ...goroutineDebug2, bundleOnly: true }, { file: 'goroutine.txt', source: { http: '/debug/pprof/goroutine?debug=1', ...profile } }],
    extra: [{ file: 'goroutine.pb.gz', source: { http: '/debug/pprof/goroutine', ...profile }, binary: true }],
    parser: 'goroutines',
    diff: 'goroutines',
    diffBase: goroutineFiles,
  },
  // debug=2 stops the world for the whole dump (domain.md): only when a step asks.
  goroutines_debug2: {
    name: 'goroutines_debug2',
    primary: [{ ...goroutineDebug2, latestInBundle: 'runbook capture --debug2 saves one with each snapshot' }],
    extra: [],
    parser: 'goroutines',
    diff: 'goroutines',
    diffBase: goroutineFiles,
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
    primary: [{ file: 'heap_gc.pb.gz', source: { http: '/debug/pprof/heap?gc=1', ...profile }, latestInBundle: 'runbook capture --count 3 takes one with its third snapshot and each after it' }],
    extra: [],
    parser: 'pprof',
    diff: 'pprof',
    diffBase: ['heap.pb.gz'],
  },
  gctrace: { name: 'gctrace', primary: [{ file: 'gctrace.log', source: { gctraceLog: true } }], extra: [], parser: 'gctrace' },
  malloc_info: { name: 'malloc_info', primary: [{ file: 'malloc_info.xml', source: { attach: 'malloc_info' } }], extra: [], parser: 'malloc-info' },
  c_allocs: { name: 'c_allocs', primary: [{ file: 'c_allocs.json', source: { attach: 'c_allocs' } }], extra: [], parser: 'c-allocs' },
  // The environment holds secrets: only the Go runtime variables reach the disk and the facts.
  host_cpu: { name: 'host_cpu', primary: [{ file: 'host_cpu', source: { hostCpu: true } }], extra: [], parser: 'host-cpu' },
  environ: { name: 'environ', primary: [{ file: 'environ', source: { proc: 'environ' }, keep: goRuntimeEnviron }], extra: [], parser: 'proc-environ' },
  // The profile and the trace cost the process while they run: a runbook takes them only
  // after asking, and `runbook capture` only with --profile.
  cpu_profile: {
    name: 'cpu_profile',
    primary: [{ file: 'cpu.pb.gz', source: { http: `/debug/pprof/profile?seconds=${PROFILE_WINDOW_SECONDS}`, ...window }, concurrent: true, binary: true }],
    extra: [],
    parser: 'pprof-hotspots',
  },
  exec_trace: { name: 'exec_trace', primary: [executionTrace], extra: [], parser: executionTraceParser },
  trace_stw: { name: 'trace_stw', primary: [{ file: 'trace-stw.json', source: { goToolTrace: 'events' } }], extra: [], parser: 'json' },
  trace_syscalls: { name: 'trace_syscalls', primary: [{ file: 'trace-syscall.pb.gz', source: { goToolTrace: 'syscall' }, binary: true }], extra: [], parser: 'pprof-hotspots' },
};

/** Collectors that attach to the process (evidence source `attach`). */
export const attachingCollectors: ReadonlySet<Collector> = new Set(
  Object.values(collectorSpecs)
    .filter((spec) => spec.primary.some((e) => 'attach' in e.source))
    .map((spec) => spec.name),
);
