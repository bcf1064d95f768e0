// The `c_allocs` collector: C allocations still outstanding after N seconds of uprobes on
// glibc's malloc/calloc/free in a live process, grouped by the Go call stack that made
// them, symbolised to function and file:line. Written as c_allocs.json (the c-allocs
// parser's input), so a bundle replays it without the process or the binary.
//
// Why bpftrace and this stack walk (measured, docs/collectors.md): malloc in glibc and the
// cgo C wrappers have no frame pointers, so neither perf's nor bpftrace's ustack gets past
// malloc, and DWARF unwinding stops at runtime.asmcgocall, where the call moved to the
// system stack. At malloc's entry on a cgo call, though, the thread's g is g0 (TLS at
// fs-8), g0.m.curg is the goroutine that called C, and its sched.bp (saved by the switch)
// starts the goroutine's frame-pointer chain: runtime.cgocall ← main._Cfunc_X ← the Go
// function that called C. The return address at malloc's stack pointer names the C
// function that called malloc (a cgo preamble helper, or _cgo_cmalloc for C.CString).
import { readFileSync } from 'node:fs';
import { LOCAL_TARGET } from '../targets/target.js';
import { captureOnTarget } from '../targets/run-on-target.js';
import { symbolise, type CodeLocation } from './symbolise.js';

/** What c_allocs.json holds (see the c-allocs parser). */
export interface CAllocTrace {
  tool: 'bpftrace';
  pid: number;
  duration_s: number;
  /** Only allocations at least this old at the end count as outstanding. */
  min_age_s: number;
  /** Calls traced in the window, and bytes asked for. */
  mallocs: number;
  frees: number;
  malloc_bytes: number;
  /** Allocated in the window (up to min_age_s before its end) and not freed by its end. */
  outstanding_bytes: number;
  outstanding_count: number;
  /** Outstanding allocations beyond the trace map's capacity were not counted. */
  map_full: boolean;
  /** Whether Go stacks were found (cgo calls from goroutines) or only C callers. */
  go_stacks: boolean;
  symbols: 'dwarf' | 'symbols-only' | 'stripped';
  stacks: TracedStack[];
  warnings: string[];
}

export interface TracedStack {
  bytes: number;
  count: number;
  /** The C function that called malloc. */
  c_caller: Frame;
  /** The goroutine's frames, innermost first (runtime.cgocall, main._Cfunc_X, the caller, …). */
  go_frames: Frame[];
}

export interface Frame extends Partial<CodeLocation> {
  address: string;
}

/** Go runtime layout (amd64, Go 1.5 – 1.22): g.m, g.sched.bp, m.g0 (0), m.curg. Checked at
 *  run time (m.g0 == g0, curg.m == m) so another layout yields no Go stack, never a wrong one. */
const goLayout = { gM: 48, gSchedBp: 104, mCurg: 192, tlsG: 8 };
const goFramesWalked = 6;
/** Outstanding allocations the trace can hold (BPF hash map entries, ~100 B each). */
export const traceMapEntries = 131_072;
const topStacks = 12;
/** Allocations made in the second half of the trace may be in flight (a burst about to be
 *  freed, slowed down by the probes themselves), not held: like bcc memleak's -o, only the
 *  first half's allocations count as outstanding. */
const outstandingAgeShare = 0.5;

/** The bpftrace program for `pid`, glibc at `libc`, stopping after `seconds`. bpftrace
 *  attaches probes one by one in program order and detaches them one by one, which takes
 *  seconds on a busy host (uprobes are per file: every process mapping glibc gets the
 *  breakpoints): counting while malloc is attached and free not yet (or no longer) would
 *  see allocations and miss their frees. So nothing counts until the interval probe, last
 *  in the program, first ticks (`@on`), and nothing after the window closes. */
export function traceScript(pid: number, libc: string, seconds: number): string {
  const r = Array.from({ length: goFramesWalked }, (_, i) => `$r${i}`);
  const walk = r.map((name) => `    if ($bp != 0) { ${name} = *(uint64*)uptr($bp + 8); $bp = *(uint64*)uptr($bp); }`).join('\n');
  const entry = (fn: string, size: string): string => `uprobe:${libc}:${fn} /pid == ${pid} && @on == 1/ {
  @sz[tid] = ${size};
  $leaf = *(uint64*)uptr(reg("sp"));
  ${r.map((name) => `${name} = (uint64)0;`).join(' ')}
  $g0 = *(uint64*)uptr(curtask->thread.fsbase - ${goLayout.tlsG});
  $m = *(uint64*)uptr($g0 + ${goLayout.gM});
  if ($m != 0 && *(uint64*)uptr($m) == $g0) {
    $curg = *(uint64*)uptr($m + ${goLayout.mCurg});
    if ($curg != 0 && *(uint64*)uptr($curg + ${goLayout.gM}) == $m) {
      $bp = *(uint64*)uptr($curg + ${goLayout.gSchedBp});
${walk}
    }
  }
  @st[tid] = ($leaf, ${r.join(', ')});
}`;
  const fields = Array.from({ length: goFramesWalked + 1 }, (_, i) => `@st[tid].${i}`).join(', ');
  return `${entry('malloc', 'arg0')}
${entry('calloc', 'arg0 * arg1')}
uretprobe:${libc}:malloc, uretprobe:${libc}:calloc /pid == ${pid} && @on == 1 && @sz[tid] != 0/ {
  if (retval != 0) { @live[retval] = (@sz[tid], nsecs, ${fields}); }
  @mallocs = count(); @malloc_bytes = sum(@sz[tid]);
  delete(@sz[tid]);
}
uprobe:${libc}:free /pid == ${pid} && @on == 1 && arg0 != 0/ { @frees = count(); delete(@live[arg0]); }
interval:ms:100 {
  if (@started == 0) { @started = nsecs; @on = 1; }
  else if (@on == 1 && nsecs - @started >= ${seconds * 1e9}) { @on = 0; @end = nsecs; exit(); }
}
END { clear(@sz); clear(@st); clear(@on); clear(@started); }
`;
}

export interface RawTrace {
  mallocs: number;
  frees: number;
  mallocBytes: number;
  /** bpftrace's clock (ns) when the trace ended. */
  endNs: bigint;
  /** One row per outstanding allocation: size, when (ns), C caller, Go return addresses (0 = none). */
  live: Array<{ size: number; atNs: bigint; frames: bigint[] }>;
}

/** bpftrace's map print at exit: `@live[ADDR]: (size, leaf, r0, …)`, `@mallocs: N`, … */
export function parseTraceOutput(text: string): RawTrace {
  const trace: RawTrace = { mallocs: 0, frees: 0, mallocBytes: 0, endNs: 0n, live: [] };
  for (const line of text.split('\n')) {
    const live = /^@live\[\d+\]: \(([\d, ]+)\)$/.exec(line.trim());
    if (live) {
      const [size, atNs, ...frames] = live[1]!.split(',').map((v) => BigInt(v.trim()));
      if (size !== undefined && atNs !== undefined) trace.live.push({ size: Number(size), atNs, frames });
      continue;
    }
    const counter = /^@(mallocs|frees|malloc_bytes|end): (\d+)$/.exec(line.trim());
    if (counter) {
      const value = Number(counter[2]);
      if (counter[1] === 'end') trace.endNs = BigInt(counter[2]!);
      else if (counter[1] === 'mallocs') trace.mallocs = value;
      else if (counter[1] === 'frees') trace.frees = value;
      else trace.mallocBytes = value;
    }
  }
  return trace;
}

/** glibc as the process maps it (seen through /proc/PID/root, for another mount namespace). */
export function libcPath(pid: number, mapsText: string): string | undefined {
  const path = mapsText
    .split('\n')
    .map((line) => line.split(/\s+/).slice(5).join(' '))
    .find((p) => /\/libc(\.so\.6|-2\.\d+\.so)$/.test(p));
  // The path goes into bpftrace's program text: only plain path characters.
  return path !== undefined && /^[\w./+-]+$/.test(path) ? `/proc/${pid}/root${path}` : undefined;
}

export type ProbeOutcome = { ok: true; bytes: Buffer } | { ok: false; reason: string };

export interface TraceOptions {
  seconds: number;
  signal?: AbortSignal;
}

/** Traces `pid` for `seconds` and returns c_allocs.json, or why it is not available here. */
export async function traceCAllocations(pid: number, options: TraceOptions): Promise<ProbeOutcome> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return notAvailable(`uprobe stack walking is written for linux/amd64, this is ${process.platform}/${process.arch}`);
  if (process.getuid?.() !== 0) return notAvailable('uprobes need root (CAP_BPF and CAP_PERFMON); run runbook as root or use the -asan build step');
  let mapsText: string;
  try {
    mapsText = readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch (error) {
    return notAvailable(`cannot read /proc/${pid}/maps: ${(error as Error).message}`);
  }
  const libc = libcPath(pid, mapsText);
  if (libc === undefined) return notAvailable('the process does not load glibc (a static or musl binary): there is no malloc to probe');
  const script = traceScript(pid, libc, options.seconds);
  // Compiling and attaching takes seconds on a loaded machine: the timeout allows for it.
  const argv = ['env', `BPFTRACE_MAP_KEYS_MAX=${traceMapEntries}`, 'bpftrace', '-q', '-e', script];
  const ran = await captureOnTarget(LOCAL_TARGET, argv, {
    timeoutMs: (options.seconds + 90) * 1000,
    maxBytes: 64 << 20,
    what: `bpftrace (uprobes on ${libc} malloc/calloc/free for ${options.seconds} s)`,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!ran.ok) {
    if (/not found|No such file|ENOENT/i.test(ran.reason)) return notAvailable('bpftrace is not installed (apt-get install bpftrace)');
    return notAvailable(ran.reason);
  }
  const raw = parseTraceOutput(ran.bytes.toString('utf8'));
  const trace = await summarise(pid, options.seconds, raw, options.signal);
  return { ok: true, bytes: Buffer.from(`${JSON.stringify(trace, null, 1)}\n`) };
}

function notAvailable(why: string): ProbeOutcome {
  return { ok: false, reason: `not available here: ${why}` };
}

const hex = (value: bigint): string => `0x${value.toString(16)}`;

async function summarise(pid: number, seconds: number, raw: RawTrace, signal?: AbortSignal): Promise<CAllocTrace> {
  const groups = new Map<string, { bytes: number; count: number; frames: bigint[] }>();
  const minAgeS = seconds * outstandingAgeShare;
  const settled = raw.live.filter((row) => raw.endNs - row.atNs >= BigInt(Math.round(minAgeS * 1e9)));
  for (const row of settled) {
    const key = row.frames.join(',');
    const group = groups.get(key) ?? { bytes: 0, count: 0, frames: row.frames };
    group.bytes += row.size;
    group.count += 1;
    groups.set(key, group);
  }
  const top = [...groups.values()].sort((a, b) => b.bytes - a.bytes).slice(0, topStacks);
  const addresses = top.flatMap((g) => g.frames.filter((f) => f !== 0n).map(hex));
  const symbolised = await symbolise(pid, addresses, signal);
  const frame = (address: bigint): Frame => ({ address: hex(address), ...symbolised.locations.get(hex(address)) });
  const stacks: TracedStack[] = top.map((g) => {
    const [leaf = 0n, ...goFrames] = g.frames;
    return { bytes: g.bytes, count: g.count, c_caller: frame(leaf), go_frames: goFrames.filter((f) => f !== 0n).map(frame) };
  });
  return {
    tool: 'bpftrace',
    pid,
    duration_s: seconds,
    min_age_s: minAgeS,
    mallocs: raw.mallocs,
    frees: raw.frees,
    malloc_bytes: raw.mallocBytes,
    outstanding_bytes: settled.reduce((sum, row) => sum + row.size, 0),
    outstanding_count: settled.length,
    map_full: raw.live.length >= traceMapEntries,
    go_stacks: stacks.some((s) => s.go_frames.length > 0),
    symbols: symbolised.symbols,
    stacks,
    warnings: symbolised.warnings,
  };
}
