// `runbook capture`: snapshots of a live Go process an interval apart, written as an
// incident bundle (docs/design.md) that `--bundle DIR` replays later on any machine.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { Collector } from '../runbook/types.js';
import { bundleGctracePath, snapshotDir, writeBundleMeta, type BundleMeta } from './bundle.js';
import { remoteLogTail } from '../targets/remote-evidence.js';
import type { RemoteTarget, Target } from '../targets/target.js';
import { findPprof } from './discover.js';
import { readLogTail, type LogRead } from './log-tail.js';
import { processHostFor } from './process-host-for.js';
import type { ProcessHost } from './process-host.js';
import { splitCmdline } from './proc-text.js';
import { attachingCollectors } from './evidence.js';
import { collectSnapshot } from './snapshot.js';
import { createRedactor } from '../redact/create-redactor.js';
import type { SnapshotResult } from './types.js';

/** Everything a live capture can gather without stopping the world (no goroutine debug=2)
 *  and without a profiling window; heap_gc (a forced GC) last, so the other evidence is as
 *  the process had it. */
export const defaultCaptureCollectors: Collector[] = ['status', 'smaps_rollup', 'maps', 'heap', 'goroutines', 'memstats', 'vars', 'smaps', 'environ', 'host_cpu', 'heap_gc'];

/** A CPU profile and an execution trace over the same seconds, and what the Go toolchain
 *  reads out of the trace: what go-gc-pauses' `window` step takes once asked. */
export const profileWindowCollectors: Collector[] = ['cpu_profile', 'exec_trace', 'trace_stw', 'trace_syscalls'];

/** The forced-GC profile is go-memory's third snapshot, taken only when its first two heap
 *  profiles were identical: a bundle holds it from its third snapshot on, never earlier (a
 *  GC forced in snapshot 0 or 1 would change what their profiles show). */
const forcedGcFromIndex = 2;

/** What snapshot `index` of `count` takes: tools that stop or slow the process (gdb,
 *  uprobes) attach once, in the last snapshot; the forced GC only from `forcedGcFromIndex`;
 *  with `profile`, the profiling window from the second snapshot on (the first is the
 *  baseline runbooks compare against). */
export function collectorsForSnapshot(collect: readonly Collector[], index: number, count: number, profile = false): Collector[] {
  const last = index + 1 === count;
  const taken = collect.filter((c) => (last || !attachingCollectors.has(c)) && (c !== 'heap_gc' || index >= forcedGcFromIndex));
  return profile && index > 0 ? [...taken, ...profileWindowCollectors.filter((c) => !taken.includes(c))] : taken;
}

export interface CaptureOptions {
  pid: number;
  /** Where the process runs (docs/remote.md); absent: this host. */
  target?: Target;
  /** net/http/pprof base URL; when absent, the process's listening sockets are probed for one. */
  pprof?: string;
  intervalMs: number;
  count: number;
  /** A gctrace log of the process (on the target), copied into the bundle as gctrace.log. */
  gctrace?: string;
  out: string;
  /** Written into meta.json: what the incident shows, and the runbook it is for. */
  title?: string;
  runbook?: string;
  collect?: Collector[];
  /** Snapshots after the first (the baseline) also take profileWindowCollectors: runbooks
   *  replay their profiling step from snapshot 1. */
  profile?: boolean;
  signal?: AbortSignal;
  /** Called after each snapshot (front ends print progress; this module never prints). */
  onSnapshot?: (index: number, result: SnapshotResult) => void;
}

export interface CaptureResult {
  meta: BundleMeta;
  snapshots: SnapshotResult[];
  warnings: string[];
}

/** gctrace logs can be days long; the bundle keeps the recent end. */
const gctraceCopyBytes = 32 << 20;

export async function captureBundle(options: CaptureOptions): Promise<CaptureResult> {
  if (!Number.isInteger(options.count) || options.count < 1) {
    throw new UserError(`--count must be a whole number ≥ 1 (got ${options.count})`);
  }
  if (options.profile && options.count < 2) {
    throw new UserError('--profile needs --count 2 or more', { hint: 'the first snapshot is the baseline; the profile and the trace are taken from the second on' });
  }
  if (existsSync(options.out) && readdirSync(options.out).length > 0) {
    throw new UserError(`--out ${options.out} already holds files`, { hint: 'give a new or empty directory, so no earlier evidence is mixed in' });
  }
  const remote = options.target?.kind === 'local' ? undefined : options.target;
  const host = processHostFor(remote, options.signal);
  const warnings: string[] = [];
  let meta: BundleMeta;
  try {
    meta = {
      ...(await describeProcess(options, host, remote, warnings)),
      ...(options.title !== undefined ? { title: options.title } : {}),
      ...(options.runbook !== undefined ? { runbook: options.runbook } : {}),
    };
  } catch (error) {
    // A cancel during these reads surfaces as whatever the interrupted read reported.
    if (options.signal?.aborted === true) throw cancelled();
    throw error;
  }
  // Created only now: a wrong pid or a cancel leaves no empty bundle behind.
  makeOutDir(options.out);
  // No secret inputs here, but token shapes (a key in a command line, an Authorization
  // header in an expvar) are masked in every file the bundle holds, as in a session.
  const redactor = createRedactor();
  meta = redactor.redactValue(meta);
  writeBundleMeta(options.out, meta);

  const snapshots: SnapshotResult[] = [];
  const collect = options.collect ?? defaultCaptureCollectors;
  for (let index = 0; index < options.count; index++) {
    const started = Date.now();
    const result = await collectSnapshot({
      collect: collectorsForSnapshot(collect, index, options.count, options.profile === true),
      pid: options.pid,
      ...(meta.pprof ? { pprof: meta.pprof } : {}),
      ...(remote ? { target: remote } : {}),
      outDir: snapshotDir(options.out, index),
      redact: (bytes) => redactor.redactBytes(bytes),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    snapshots.push(result);
    options.onSnapshot?.(index, result);
    if (index + 1 < options.count) await sleep(options.intervalMs - (Date.now() - started), options.signal);
  }
  if (options.gctrace) {
    const log = await logTail(remote, options.gctrace, gctraceCopyBytes, options.signal);
    if (log.ok) writeFileSync(bundleGctracePath(options.out), redactor.redactBytes(log.bytes));
    else warnings.push(log.reason);
  }
  return { meta, snapshots, warnings: [...warnings, ...host.warnings()] };
}

/** What the bundle says of the process (meta.json), read before the first snapshot: a wrong
 *  pid or gctrace path fails here, not after the whole capture. */
async function describeProcess(options: CaptureOptions, host: ProcessHost, remote: RemoteTarget | undefined, warnings: string[]): Promise<BundleMeta> {
  const on = remote ? ` on ${remote.url}` : '';
  const cmdline = await host.readProcFile(`/proc/${options.pid}/cmdline`);
  if (!cmdline.ok) throw new UserError(`cannot capture pid ${options.pid}${on}: ${cmdline.reason}`, { hint: `list Go processes with \`runbook ps${remote ? ` --target ${remote.url}` : ''}\`` });
  if (options.gctrace) {
    const probe = await logTail(remote, options.gctrace, 1, options.signal);
    if (!probe.ok) throw new UserError(`--gctrace ${options.gctrace}${on}: ${probe.reason}`, { hint: 'pass the file the process writes its stderr (GODEBUG=gctrace=1) to' });
  }
  // One process, so a patient probe: under load or long GC pauses answers take seconds.
  const pprof = options.pprof ?? (await findPprof(options.pid, 5000, host)) ?? undefined;
  if (!pprof) warnings.push(`pid ${options.pid}${on}: no listening socket answers /debug/pprof/: heap, goroutine and expvar evidence will be missing`);
  const goVersion = await host.goVersion(options.pid);
  return {
    pid: options.pid,
    cmdline: splitCmdline(cmdline.bytes),
    host: await host.hostName(),
    captured_at: new Date().toISOString(),
    ...(goVersion ? { go_version: goVersion } : {}),
    ...(pprof ? { pprof } : {}),
    ...(remote ? { target: remote.url } : {}),
  };
}

function logTail(remote: RemoteTarget | undefined, path: string, maxBytes: number, signal?: AbortSignal): Promise<LogRead> {
  return remote ? remoteLogTail(remote, path, maxBytes, signal) : Promise.resolve(readLogTail(path, maxBytes));
}

function cancelled(): UserError {
  return new UserError('capture cancelled', { exitCode: 130 });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort(): void {
      clearTimeout(timer);
      reject(cancelled());
    }
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
  });
}

/** The bundle directory, with its parent checked first: a user's path mistake is a
 *  UserError, and Node's recursive mkdir under /proc was seen to spin instead of failing. */
function makeOutDir(out: string): void {
  const parent = dirname(resolve(out));
  if (!existsSync(parent) || !statSync(parent).isDirectory() || parent.startsWith('/proc')) {
    throw new UserError(`--out ${out}: ${parent} is not a directory bundles can be written in`, { hint: 'give a path under an existing, writable directory' });
  }
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new UserError(`--out ${out}: cannot create it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { hint: 'give a path under an existing, writable directory' });
  }
}
