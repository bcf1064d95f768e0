// `fetch`: HTTP GET to an artifact with a timeout and a size cap, then parsed.
// The body streams to disk (http-get.ts): a pprof endpoint can answer with tens of megabytes.
import type { Step } from '../../runbook/types.js';
import { quoteForShell } from '../../exec/shell-quote.js';
import { renderText } from '../../template/index.js';
import { parseDuration } from '../../util/duration.js';
import { httpGetToArtifact } from './http-get.js';
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
  const got = await httpGetToArtifact(ctx, { url: parsedUrl, shown, headers, timeoutMs, maxBytes, tooLarge: `response is larger than max_bytes (${maxBytes})` });
  if (!got.ok) return got.outcome;
  const { artifact, httpStatus, bytes, contentType } = got;
  const common = { artifacts: { body: artifact }, meta: { url: shown, http_status: httpStatus ?? 0, bytes, content_type: contentType } };
  if (httpStatus === undefined || httpStatus < 200 || httpStatus > 299) return failed(`GET ${shown} answered HTTP ${httpStatus}`, common);
  if (spec.parse === undefined) return { status: 'passed', ...common };
  const parsed = parseEvidence(artifact, spec.parse, spec.parse_options, ctx.scope);
  const outcome = { ...common, facts: parsed.facts, warnings: parsed.warnings };
  return parsed.error ? failed(parsed.error, outcome) : { status: 'passed', ...outcome };
}
