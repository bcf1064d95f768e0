// Running one command on a target through exec/run-process: a step's command (output to
// artifacts) or a small read whose bytes the caller wants back (collectors, `ps`).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_GRACE_MS } from '../exec/process-group.js';
import { runProcess } from '../exec/run-process.js';
import type { ExecRequest, ExecResult } from '../exec/types.js';
import type { Target } from './target.js';
import { quoteForShell } from '../exec/shell-quote.js';
import { stripControlSequences } from '../redact/control-sequences.js';
import { invocationFor, readFileArgv, type TargetCommand } from './transport.js';

export type TargetRequest = Omit<ExecRequest, 'argv' | 'env' | 'stdin' | 'timeoutMs' | 'graceMs'> &
  Omit<TargetCommand, 'graceMs'> & { graceMs?: number };

/** runProcess, with the argv carried to the target (local: unchanged). */
export function runOnTarget(target: Target, request: TargetRequest): Promise<ExecResult> {
  const { argv, env, timeoutMs, graceMs = DEFAULT_GRACE_MS, ...rest } = request;
  const invocation = invocationFor(target, { argv, ...(env !== undefined ? { env } : {}), timeoutMs, graceMs });
  return runProcess({ ...rest, argv: invocation.argv, env: invocation.env, stdin: invocation.stdin, timeoutMs, graceMs });
}

/** `retry`: the failure may not happen again (a connection dropped, a command failed);
 *  absent for cancel, timeout and oversize answers, which a second try would only repeat slower. */
export type Captured = { ok: true; bytes: Buffer } | { ok: false; reason: string; retry?: true };

/** Runs argv on the target and returns its stdout; a non-zero exit, timeout or cancel is a
 *  reason with the last line of stderr, naming the command (or `limits.what`, for scripts
 *  too long to show). Output goes through a private temp dir because runProcess streams
 *  to files (it never holds a whole output in memory); more than `maxBytes` of it is a
 *  failure, not an allocation: the far side decides what comes back. */
export async function captureOnTarget(
  target: Target,
  argv: string[],
  limits: { timeoutMs: number; maxBytes: number; signal?: AbortSignal; what?: string; env?: Record<string, string> },
): Promise<Captured> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-target-'));
  try {
    const stdoutPath = join(dir, 'stdout');
    const result = await runOnTarget(target, {
      argv,
      ...(limits.env !== undefined ? { env: limits.env } : {}),
      timeoutMs: limits.timeoutMs,
      stdoutPath,
      stderrPath: join(dir, 'stderr'),
      ...(limits.signal !== undefined ? { signal: limits.signal } : {}),
    });
    const where = target.kind === 'local' ? '' : ` on ${target.url}`;
    const what = `${limits.what ?? quoteForShell(argv)}${where}`;
    if (result.spawnError !== undefined) return { ok: false, reason: `${what}: ${result.spawnError}`, retry: true };
    // The answer could not all be written down here (disk full): a cut answer is no answer.
    if (result.artifactError !== undefined) return { ok: false, reason: `${what}: ${result.artifactError}` };
    if (result.cancelled) return { ok: false, reason: `${what}: cancelled` };
    if (result.timedOut) return { ok: false, reason: `${what}: no answer within ${limits.timeoutMs} ms` };
    if (result.exitCode !== 0) {
      // The far side wrote it: no escape sequence of its may reach the engineer's terminal.
      const stderr = stripControlSequences((result.stderr.tail || result.stderr.head).trim().split('\n').pop() ?? '');
      return { ok: false, reason: `${what}: exit ${result.exitCode ?? result.signal}${stderr ? `: ${stderr}` : ''}`, retry: true };
    }
    if (statSync(stdoutPath).size > limits.maxBytes) return { ok: false, reason: `${what}: answered more than ${limits.maxBytes} bytes` };
    return { ok: true, bytes: readFileSync(stdoutPath) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type FileRead = { ok: true; bytes: Buffer; truncated: boolean } | { ok: false; reason: string };

/** A remote file in one read(): its first maxBytes bytes, and whether there was more. */
export async function readFileOnTarget(
  target: Target,
  path: string,
  limits: { maxBytes: number; timeoutMs: number; signal?: AbortSignal },
): Promise<FileRead> {
  const captured = await captureOnTarget(target, readFileArgv(path, limits.maxBytes), { ...limits, maxBytes: limits.maxBytes + 1 });
  if (!captured.ok) return captured;
  const truncated = captured.bytes.length > limits.maxBytes;
  return { ok: true, bytes: truncated ? captured.bytes.subarray(0, limits.maxBytes) : captured.bytes, truncated };
}
