// Snapshot evidence from a remote target (collectors/snapshot.ts): the same files the live
// collectors read, fetched by commands that run on the far side through the transport.
import type { Captured } from './run-on-target.js';
import { captureOnTarget, readFileOnTarget } from './run-on-target.js';
import type { RemoteTarget } from './target.js';

/** Largest /proc file read remotely; a maps file near vm.max_map_count is ~7 MiB. */
const PROC_MAX_BYTES = 64 << 20;
const READ_TIMEOUT_MS = 30_000;

/** /proc/PID/FILE in one read() on the target. */
export async function remoteProcFile(target: RemoteTarget, path: string, signal?: AbortSignal, maxBytes = PROC_MAX_BYTES): Promise<Captured> {
  const read = await readFileOnTarget(target, path, { maxBytes, timeoutMs: READ_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  if (!read.ok) return read;
  return read.truncated ? { ok: false, reason: `${path} on ${target.url} is larger than ${maxBytes >> 20} MiB` } : { ok: true, bytes: read.bytes };
}

/** GET url with curl on the target (a pprof endpoint usually listens on the target's
 *  loopback only, which no proxy of the remote environment must stand in for: `--noproxy`).
 *  `-f`: a non-2xx answer is a failure; `--max-filesize` stops a body
 *  whose Content-Length is too large; `--url` keeps the URL from being read as an option. */
export function remoteHttpGet(target: RemoteTarget, url: string, limits: { timeoutMs: number; maxBytes: number; signal?: AbortSignal }): Promise<Captured> {
  const seconds = String(Math.max(1, Math.ceil(limits.timeoutMs / 1000)));
  const argv = ['curl', '-sS', '-f', '--noproxy', '*', '--max-time', seconds, '--max-filesize', String(limits.maxBytes), '--url', url];
  // The transport's own bound sits a little beyond curl's, so curl reports its timeout itself.
  return captureOnTarget(target, argv, { timeoutMs: limits.timeoutMs + 5_000, maxBytes: limits.maxBytes, ...(limits.signal ? { signal: limits.signal } : {}) });
}

/** The last maxBytes of a log on the target, from a line boundary (like collectors/log-tail.ts). */
export async function remoteLogTail(target: RemoteTarget, path: string, maxBytes: number, signal?: AbortSignal): Promise<Captured> {
  // One byte more than asked tells whether the tail starts mid-line.
  const captured = await captureOnTarget(target, ['tail', '-c', String(maxBytes + 1), '--', path], { timeoutMs: READ_TIMEOUT_MS, maxBytes: maxBytes + 1, ...(signal ? { signal } : {}) });
  if (!captured.ok || captured.bytes.length <= maxBytes) return captured;
  const firstNewline = captured.bytes.indexOf(0x0a);
  return { ok: true, bytes: firstNewline < 0 ? captured.bytes.subarray(1) : captured.bytes.subarray(firstNewline + 1) };
}
