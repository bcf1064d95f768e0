// collectSnapshot: gathers the requested evidence from a live process (or a bundle's
// snapshot), writes it in the bundle layout and turns it into facts with the registered
// parsers. Everything that could not be gathered is a `missing` reason, never a throw:
// runbooks branch on it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDiffer } from '../diffs/registry.js';
import { getParser } from '../parsers/registry.js';
import type { FactValue, Facts, ParseResult, Parser } from '../parsers/types.js';
import type { Collector } from '../runbook/types.js';
import { bundleGctracePath, snapshotDir } from './bundle.js';
import { collectorSpecs, executionTrace, type EvidenceFile } from './evidence.js';
import { traceEventFacts, traceSyscallProfile } from './go-tool-trace.js';
import { fetchBounded } from './http-fetch.js';
import { sampleHostCpu } from './host-cpu.js';
import { readLogTail } from './log-tail.js';
import { readProcFile } from './proc-file.js';
import { traceCAllocations } from './c-alloc-trace.js';
import { readMallocInfo } from './malloc-info-probe.js';
import { remoteHttpGet, remoteLogTail, remoteProcFile } from '../targets/remote-evidence.js';
import type { SnapshotRequest, SnapshotResult } from './types.js';

type Outcome = { ok: true; bytes: Buffer } | { ok: false; reason: string };
type EvidenceReader = (evidence: EvidenceFile) => Promise<Outcome>;

const takenAtFile = 'taken_at';

export async function collectSnapshot(request: SnapshotRequest): Promise<SnapshotResult> {
  mkdirSync(request.outDir, { recursive: true });
  const read = request.bundle ? bundleReader(request.bundle) : liveReader(request);
  const takenAt = request.bundle ? bundleTakenAt(request.bundle) : new Date().toISOString();
  writeFileSync(join(request.outDir, takenAtFile), `${takenAt}\n`);

  // One fetch per file even when two collectors use it (memstats and vars share vars.json).
  const obtained = new Map<string, Promise<Outcome>>();
  const durationsMs: Record<string, number> = {};
  const obtain = (evidence: EvidenceFile): Promise<Outcome> => {
    const key = `${evidence.file}${evidence.bundleOnly ? ' (bundle only)' : ''}${evidence.latestInBundle ? ' (latest)' : ''}`;
    let outcome = obtained.get(key);
    if (!outcome) {
      const started = Date.now();
      const source = evidence.source;
      outcome = ('goToolTrace' in source ? fromTrace(source.goToolTrace) : read(evidence)).then((raw) => {
        durationsMs[evidence.file] = Date.now() - started;
        if (!raw.ok) return raw;
        const kept = evidence.keep ? Buffer.from(evidence.keep(raw.bytes)) : raw.bytes;
        const bytes = request.redact && evidence.binary !== true ? request.redact(kept) : kept;
        writeFileSync(join(request.outDir, evidence.file), bytes);
        return { ok: true as const, bytes };
      });
      obtained.set(key, outcome);
    }
    return outcome;
  };
  // Live or replayed, the trace is read here, from the copy this snapshot just wrote.
  const fromTrace = async (kind: 'events' | 'syscall'): Promise<Outcome> => {
    const trace = await obtain(executionTrace);
    if (!trace.ok) return { ok: false, reason: `no execution trace: ${trace.reason}` };
    const path = join(request.outDir, executionTrace.file);
    return kind === 'events' ? traceEventFacts(path, request.signal) : traceSyscallProfile(path, request.signal);
  };
  for (const collector of new Set<Collector>(request.collect)) {
    // Awaited (and any failure reported) where the collector's turn comes.
    for (const evidence of collectorSpecs[collector].primary) if (evidence.concurrent) obtain(evidence).catch(() => {});
  }

  const facts: Facts = { taken_at: takenAt };
  // The real gap between the snapshots (a replayed bundle's, not the interval input's).
  if (request.compareTo) {
    const gapMs = takenAtGapMs(readTakenAt(request.compareTo.dir), takenAt);
    if (gapMs !== undefined) facts['interval_s'] = Math.round(gapMs / 100) / 10;
  }
  const missing: Record<string, FactValue> = {};
  const artifacts: Record<string, string> = {};
  const warnings: string[] = [];
  for (const collector of new Set<Collector>(request.collect)) {
    if (request.signal?.aborted) {
      missing[collector] = 'snapshot cancelled';
      continue;
    }
    const spec = collectorSpecs[collector];
    const reasons: string[] = [];
    let chosen: { file: string; bytes: Buffer } | undefined;
    for (const evidence of spec.primary) {
      if (evidence.bundleOnly && !request.bundle) continue;
      const outcome = await obtain(evidence);
      if (outcome.ok) {
        chosen = { file: evidence.file, bytes: outcome.bytes };
        break;
      }
      reasons.push(outcome.reason);
    }
    if (!chosen) {
      missing[collector] = reasons.join('; ');
      continue;
    }
    for (const evidence of spec.extra) {
      const outcome = await obtain(evidence);
      if (outcome.ok) artifacts[`${collector}:${evidence.file}`] = join(request.outDir, evidence.file);
      else warnings.push(`${collector}: ${outcome.reason}`);
    }
    artifacts[collector] = join(request.outDir, chosen.file);
    const parsed = runParser(spec.parser, chosen.bytes);
    warnings.push(...parsed.warnings.map((w) => `${collector} (${chosen.file}): ${w}`));
    if (parsed.reason) missing[collector] = parsed.reason;
    else facts[collector] = parsed.facts;

    if (request.compareTo && spec.diff) {
      const diffName = `${collector}_diff`;
      const interval = typeof facts['interval_s'] === 'number' ? { interval_s: facts['interval_s'] } : {};
      const dir = request.compareTo.dir;
      const base = [chosen.file, ...(spec.diffBase ?? [])].find((file) => existsSync(join(dir, file))) ?? chosen.file;
      const diffed = runDiff(spec.diff, join(dir, base), chosen.bytes, interval);
      warnings.push(...diffed.warnings.map((w) => `${diffName}: ${w}`));
      if (diffed.reason) missing[diffName] = diffed.reason;
      else facts[diffName] = diffed.facts;
    }
  }
  facts['missing'] = missing;
  return { facts, artifacts, warnings, durationsMs };
}

interface Parsed {
  facts: Facts;
  warnings: string[];
  /** Set when the evidence yielded no usable facts. */
  reason?: string;
}

function fromResult(result: ParseResult, what: string): Parsed {
  const warnings = result.warnings.map((w) => (w.line ? `line ${w.line}: ${w.message}` : w.message));
  if (result.error) return { facts: result.facts, warnings, reason: `${what}: ${result.error.code}: ${result.error.message}` };
  return { facts: result.facts, warnings };
}

/** A plain Uint8Array over the same bytes: `new Uint8Array(buffer)` copied them, which cost
 *  ~0.5 s per 46 MB smaps file (bench/smaps.bench.js). */
function view(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function runParser(nameOrParser: string | Parser, bytes: Buffer): Parsed {
  const parser = typeof nameOrParser === 'string' ? getParser(nameOrParser) : nameOrParser;
  if (!parser) return { facts: {}, warnings: [], reason: `no parser '${String(nameOrParser)}' is registered` };
  return fromResult(parser.parse(view(bytes)), `parser ${parser.name}`);
}

/** `options.interval_s`: the snapshots' real gap, for diffs of evidence that carries no time (MemStats). */
function runDiff(kind: string, beforePath: string, after: Buffer, options: Record<string, unknown>): Parsed {
  const differ = getDiffer(kind);
  if (!differ) return { facts: {}, warnings: [], reason: `no diff '${kind}' is registered` };
  if (!existsSync(beforePath)) return { facts: {}, warnings: [], reason: `nothing to compare with: ${beforePath} was not collected` };
  return fromResult(differ.diff(view(readFileSync(beforePath)), view(after), options), `diff ${kind}`);
}

/** How long the c_allocs uprobes stay attached (docs/collectors.md: what it costs). */
export const cAllocTraceSeconds = 10;

/** Gctrace logs grow for days; the recent end is what a snapshot needs. */
const gctraceTailBytes = 16 << 20;

function liveReader(request: SnapshotRequest): EvidenceReader {
  return async (evidence) => {
    const source = evidence.source;
    if ('proc' in source) {
      if (request.pid === undefined) return { ok: false, reason: 'no pid given: /proc evidence needs a live process' };
      const path = `/proc/${request.pid}/${source.proc}`;
      return request.target ? remoteProcFile(request.target, path, request.signal, source.bounds?.maxBytes) : readProcFile(path, source.bounds);
    }
    if ('hostCpu' in source) {
      if (request.pid === undefined) return { ok: false, reason: 'no pid given: host CPU evidence needs a live process' };
      const target = request.target;
      return sampleHostCpu(request.pid, (path) => (target ? remoteProcFile(target, path, request.signal) : Promise.resolve(readProcFile(path))), request.signal);
    }
    if ('http' in source) {
      if (!request.pprof) {
        return { ok: false, reason: 'no pprof endpoint given: the process serves no net/http/pprof address we know of' };
      }
      const url = `${request.pprof.replace(/\/+$/, '')}${source.http}`;
      const limits = { timeoutMs: source.timeoutMs, maxBytes: source.maxBytes };
      const bounded = request.signal ? { ...limits, signal: request.signal } : limits;
      return request.target ? remoteHttpGet(request.target, url, bounded) : fetchBounded(url, bounded);
    }
    if ('attach' in source) {
      if (request.pid === undefined) return { ok: false, reason: 'no pid given: attaching a tool needs a live process' };
      if (request.target) return { ok: false, reason: `not available on a target: ${source.attach} attaches a local tool (gdb, bpftrace) to the process; run runbook on ${request.target.url} itself` };
      return source.attach === 'malloc_info'
        ? readMallocInfo(request.pid, request.signal)
        : traceCAllocations(request.pid, { seconds: cAllocTraceSeconds, ...(request.signal ? { signal: request.signal } : {}) });
    }
    if (!request.gctrace) return { ok: false, reason: 'no gctrace log given (run the process with GODEBUG=gctrace=1 and pass its stderr log)' };
    return request.target ? remoteLogTail(request.target, request.gctrace, gctraceTailBytes, request.signal) : readLogTail(request.gctrace, gctraceTailBytes);
  };
}

function bundleReader(bundle: { dir: string; index: number }): EvidenceReader {
  const dir = snapshotDir(bundle.dir, bundle.index);
  return async (evidence) => {
    if ('gctraceLog' in evidence.source) {
      const path = bundleGctracePath(bundle.dir);
      if (!existsSync(path)) return { ok: false, reason: `the bundle has no gctrace log (${path})` };
      return readLogTail(path, gctraceTailBytes);
    }
    const path = join(dir, evidence.file);
    if (existsSync(path)) return { ok: true, bytes: readFileSync(path) };
    if (evidence.latestInBundle) {
      for (let index = bundle.index - 1; index >= 0; index--) {
        const earlier = join(snapshotDir(bundle.dir, index), evidence.file);
        if (existsSync(earlier)) return { ok: true, bytes: readFileSync(earlier) };
      }
      return { ok: false, reason: `no snapshot of the bundle holds ${evidence.file} (${evidence.latestInBundle})` };
    }
    return { ok: false, reason: `not in the bundle: ${path}` };
  };
}

function bundleTakenAt(bundle: { dir: string; index: number }): string {
  return readTakenAt(snapshotDir(bundle.dir, bundle.index));
}

function readTakenAt(dir: string): string {
  const path = join(dir, takenAtFile);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
}

/** Milliseconds between two `taken_at` stamps; undefined when either is missing or unreadable. */
function takenAtGapMs(before: string, after: string): number | undefined {
  const gap = Date.parse(after) - Date.parse(before);
  return Number.isFinite(gap) ? gap : undefined;
}

/** The time between snapshot `next - 1` and snapshot `next` of a bundle (what a replayed `wait` stands for). */
export function bundleSnapshotGapMs(bundleDir: string, next: number): number | undefined {
  if (next < 1) return undefined;
  return takenAtGapMs(readTakenAt(snapshotDir(bundleDir, next - 1)), readTakenAt(snapshotDir(bundleDir, next)));
}
