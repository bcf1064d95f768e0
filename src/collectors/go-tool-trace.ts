// An execution trace read with the Go toolchain on this machine, where it is installed:
// `go tool trace -d` (its event dump, streamed line by line into the go-trace-events
// reader: a busy 5 s trace dumps to hundreds of megabytes) and `go tool trace
// -pprof=syscall` (a pprof profile of the time goroutines spent in syscalls and cgo calls,
// by stack). The processes run through exec/run-process, so a cancel or timeout ends them.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../exec/run-process.js';
import { goTraceEventsParser } from '../parsers/go-trace-events.js';

type Outcome = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** Reading a 64 MiB trace took 40 s on a loaded 2-CPU host; beyond this, the tool is stuck. */
const TOOL_TIMEOUT_MS = 180_000;
const PROFILE_MAX_BYTES = 32 << 20;

async function runGoTool(args: string[], onText: ((text: string) => void) | undefined, signal: AbortSignal | undefined): Promise<Outcome & { stdoutPath?: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-go-tool-'));
  const stdoutPath = join(dir, 'stdout');
  const result = await runProcess({
    argv: ['go', 'tool', ...args],
    stdoutPath,
    stderrPath: join(dir, 'stderr'),
    timeoutMs: TOOL_TIMEOUT_MS,
    // No stray files wherever the tool was started from.
    cwd: dir,
    ...(onText ? { onOutput: (stream: 'stdout' | 'stderr', text: string) => stream === 'stdout' && onText(text) } : {}),
    ...(signal ? { signal } : {}),
  });
  const what = `go tool ${args.slice(0, -1).join(' ')}`;
  if (result.spawnError !== undefined) return { ok: false, reason: `${what} is not available here (${result.spawnError}): install Go, or open the bundle's trace.out where Go is installed`, dir };
  if (result.cancelled) return { ok: false, reason: `${what}: cancelled`, dir };
  if (result.timedOut) return { ok: false, reason: `${what}: no result within ${TOOL_TIMEOUT_MS / 1000} s`, dir };
  if (result.exitCode !== 0) {
    const last = (result.stderr.tail || result.stderr.head).trim().split('\n').pop() ?? '';
    return { ok: false, reason: `${what} failed (exit ${result.exitCode ?? result.signal})${last ? `: ${last}` : ''}`, dir };
  }
  return { ok: true, bytes: Buffer.alloc(0), stdoutPath, dir };
}

/** The stop-the-world pauses of the trace and the syscalls/cgo calls in flight as each
 *  began (facts of the go-trace-events parser, as JSON). */
export async function traceEventFacts(tracePath: string, signal?: AbortSignal): Promise<Outcome> {
  const stream = goTraceEventsParser.stream();
  const run = await runGoTool(['trace', '-d', tracePath], (text) => stream.write(Buffer.from(text)), signal);
  rmSync(run.dir, { recursive: true, force: true });
  if (!run.ok) return run;
  const { facts, error } = stream.end();
  if (error) return { ok: false, reason: `go tool trace -d: ${error.message}` };
  return { ok: true, bytes: Buffer.from(`${JSON.stringify(facts, null, 1)}\n`) };
}

/** `go tool trace -pprof=syscall`: time in syscalls and cgo calls by stack, as a pprof profile. */
export async function traceSyscallProfile(tracePath: string, signal?: AbortSignal): Promise<Outcome> {
  const run = await runGoTool(['trace', '-pprof=syscall', tracePath], undefined, signal);
  try {
    if (!run.ok) return run;
    const size = statSync(run.stdoutPath!).size;
    if (size > PROFILE_MAX_BYTES) return { ok: false, reason: `go tool trace -pprof=syscall wrote ${size} bytes, more than ${PROFILE_MAX_BYTES}` };
    return { ok: true, bytes: readFileSync(run.stdoutPath!) };
  } finally {
    rmSync(run.dir, { recursive: true, force: true });
  }
}
