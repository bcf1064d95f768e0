// `fetch`: HTTP GET to an artifact with a timeout and a size cap, then parsed.
// The body streams to disk: a pprof endpoint can answer with tens of megabytes.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { FILE_MODE } from '../../journal/session-dir.js';
import type { Step } from '../../runbook/types.js';
import { quoteForShell } from '../../exec/shell-quote.js';
import { renderText } from '../../template/index.js';
import { parseDuration } from '../../util/duration.js';
import { parseEvidence } from './parse-output.js';
import { failed, skippedOnReplay, type StepContext, type StepOutcome } from './types.js';

const DEFAULT_FETCH_MAX_BYTES = 64 * 1024 * 1024;

export async function fetchStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'fetch' }>;
  const spec = step.fetch;
  const skipped = skippedOnReplay(ctx, spec, 'fetches from a live process');
  if (skipped) return skipped;
  const url = renderText(spec.url, ctx.scope);
  if (!url.ok) {
    ctx.started();
    return failed(`url: ${url.error}`);
  }
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(spec.headers ?? {})) {
    const value = renderText(template, ctx.scope);
    if (!value.ok) {
      ctx.started();
      return failed(`header ${name}: ${value.error}`);
    }
    headers[name] = value.text;
  }
  // What is recorded and shown is masked: a URL can carry user:pass@ or a secret input, and
  // reasons and facts that quote it reach the screen before any record does.
  const shown = ctx.redactor.redactText(url.text);
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  ctx.started({ argv: ['GET', url.text, ...headerArgs], display: quoteForShell(['curl', '-sS', ...headerArgs, url.text]), target: 'local' });
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url.text);
  } catch {
    return failed(`not a URL: ${shown}`);
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') return failed(`only http and https URLs can be fetched, not ${parsedUrl.protocol}`);
  let timeoutMs = ctx.options.defaultTimeoutMs;
  if (spec.timeout !== undefined) {
    const parsed = parseDuration(spec.timeout);
    if (!parsed.ok) return failed(`timeout: ${parsed.error}`);
    timeoutMs = parsed.ms;
  }
  const maxBytes = spec.max_bytes ?? DEFAULT_FETCH_MAX_BYTES;
  const artifact = ctx.artifact('body');
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  const out = createWriteStream(artifact, { flags: 'wx', mode: FILE_MODE });
  // The body is redacted as it streams: an endpoint may echo a secret back (a header, a
  // query parameter), and the parser reads this artifact.
  const redact = ctx.redactor.byteStream();
  let bytes = 0;
  let httpStatus: number | undefined;
  let contentType = '';
  try {
    const response = await fetch(parsedUrl, { signal, redirect: 'follow', headers });
    httpStatus = response.status;
    contentType = response.headers.get('content-type') ?? '';
    if (response.body) {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        if (bytes > maxBytes) throw new Error(`response is larger than max_bytes (${maxBytes})`);
        if (!out.write(redact.push(chunk))) await once(out, 'drain');
      }
    }
  } catch (error) {
    out.end(redact.end());
    await once(out, 'close');
    const meta = { url: shown, bytes, ...(httpStatus !== undefined ? { http_status: httpStatus } : {}) };
    if (ctx.signal.aborted) return { status: 'cancelled', reason: 'cancelled by the engineer', meta, artifacts: { body: artifact } };
    if (timeout.aborted) return { status: 'timeout', reason: `no complete answer from ${shown} within ${timeoutMs} ms`, meta, artifacts: { body: artifact } };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return failed(`GET ${shown}: ${ctx.redactor.redactText(cause?.code ?? cause?.message ?? (error as Error).message)}`, { meta, artifacts: { body: artifact } });
  }
  out.end(redact.end());
  await once(out, 'close');
  const common = { artifacts: { body: artifact }, meta: { url: shown, http_status: httpStatus ?? 0, bytes, content_type: contentType } };
  if (httpStatus === undefined || httpStatus < 200 || httpStatus > 299) return failed(`GET ${shown} answered HTTP ${httpStatus}`, common);
  if (spec.parse === undefined) return { status: 'passed', ...common };
  const parsed = parseEvidence(artifact, spec.parse, spec.parse_options, ctx.scope);
  const outcome = { ...common, facts: parsed.facts, warnings: parsed.warnings };
  return parsed.error ? failed(parsed.error, outcome) : { status: 'passed', ...outcome };
}
