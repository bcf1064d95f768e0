// An HTTP GET into a step artifact, shared by `fetch` and `query`: a timeout, a size cap,
// cancellation, and the body redacted as it streams (an endpoint may echo a secret back: a
// header, a query parameter), since parsers read that artifact.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { FILE_MODE } from '../../journal/session-dir.js';
import { failed, type StepContext, type StepOutcome } from './types.js';

export interface HttpGetRequest {
  url: URL;
  /** The URL as recorded and shown: masked (it can carry user:pass@ or a secret input). */
  shown: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  /** The reason given when the body passes maxBytes: what to change. */
  tooLarge: string;
}

export type HttpGetResult =
  | { ok: true; artifact: string; httpStatus: number; bytes: number; contentType: string }
  /** Cancelled, timed out or failed before a whole answer: the step's outcome. */
  | { ok: false; outcome: StepOutcome };

export async function httpGetToArtifact(ctx: StepContext, request: HttpGetRequest): Promise<HttpGetResult> {
  const { shown, maxBytes } = request;
  const artifact = ctx.artifact('body');
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  const out = createWriteStream(artifact, { flags: 'wx', mode: FILE_MODE });
  const redact = ctx.redactor.byteStream();
  let bytes = 0;
  let httpStatus: number | undefined;
  let contentType = '';
  try {
    const response = await fetch(request.url, { signal, redirect: 'follow', headers: request.headers });
    httpStatus = response.status;
    contentType = response.headers.get('content-type') ?? '';
    if (response.body) {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) throw new Error(request.tooLarge);
        if (!out.write(redact.push(chunk))) await once(out, 'drain');
      }
    }
  } catch (error) {
    out.end(redact.end());
    await once(out, 'close');
    const meta = { url: shown, bytes, ...(httpStatus !== undefined ? { http_status: httpStatus } : {}) };
    const artifacts = { body: artifact };
    if (ctx.signal.aborted) return { ok: false, outcome: { status: 'cancelled', reason: 'cancelled by the engineer', meta, artifacts } };
    if (timeout.aborted) return { ok: false, outcome: { status: 'timeout', reason: `no complete answer from ${shown} within ${request.timeoutMs} ms`, meta, artifacts } };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, outcome: failed(`GET ${shown}: ${ctx.redactor.redactText(cause?.code ?? cause?.message ?? (error as Error).message)}`, { meta, artifacts }) };
  }
  out.end(redact.end());
  await once(out, 'close');
  return { ok: true, artifact, httpStatus, bytes, contentType };
}
