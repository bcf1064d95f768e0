// `query`: a Prometheus HTTP API query (instant: /api/v1/query, range: /api/v1/query_range),
// its answer written to an artifact and read by the `prometheus` parser (labels, last, min,
// max; slope per hour and trend for ranges). Values enter the PromQL only as escaped string
// literals (template/promql.ts). Replaying a bundle, the step reads the answer recorded in
// DIR/queries/<step id>.json instead of asking: the incident's history, not today's.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quoteForShell } from '../../exec/shell-quote.js';
import { FILE_MODE } from '../../journal/session-dir.js';
import type { FactValue } from '../../parsers/types.js';
import type { QuerySpec, Step } from '../../runbook/types.js';
import { renderPromql, renderText, templatePaths } from '../../template/index.js';
import { parseDuration } from '../../util/duration.js';
import { httpGetToArtifact } from './http-get.js';
import { MAX_PARSE_BYTES, parseEvidence } from './parse-output.js';
import { failed, type StepContext, type StepOutcome } from './types.js';

/** A range query's default resolution: this many points over the range (Prometheus allows 11,000). */
const DEFAULT_POINTS = 240;

/** A range query's step when the runbook gives none. */
export function defaultStepSeconds(rangeSeconds: number): number {
  return Math.max(1, Math.round(rangeSeconds / DEFAULT_POINTS));
}

/** Where a replayed bundle keeps the answer of query step `stepId`. */
export function bundleQueryAnswer(bundleDir: string, stepId: string): string {
  return join(bundleDir, 'queries', `${stepId}.json`);
}

export async function queryStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'query' }>;
  const spec = step.query;
  const missing = missingOptionalInput(ctx, spec);
  const promql = renderPromql(spec.promql, ctx.scope);
  if (!promql.ok && missing === undefined) {
    ctx.started();
    return failed(`promql: ${promql.error}`);
  }
  // A replayed answer needs no input: the query is shown as written when one is missing.
  if (ctx.options.bundle !== undefined) return replayAnswer(ctx, spec, step.id, promql.ok ? ctx.redactor.redactText(promql.text) : spec.promql);

  const base = prometheusBase(ctx, spec);
  if (!base.ok) {
    ctx.started();
    return base.outcome;
  }
  if (missing !== undefined || !promql.ok) {
    ctx.started();
    return missing ?? failed('promql: could not be rendered');
  }
  const shownQuery = ctx.redactor.redactText(promql.text);
  const window = queryWindow(ctx, spec);
  if (!window.ok) {
    ctx.started();
    return failed(window.error);
  }
  let url: URL;
  try {
    url = new URL(window.range === undefined ? 'api/v1/query' : 'api/v1/query_range', base.url.endsWith('/') ? base.url : `${base.url}/`);
  } catch {
    ctx.started();
    return failed(`prometheus: not a URL: ${ctx.redactor.redactText(base.url)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.started();
    return failed(`prometheus: only http and https URLs can be asked, not ${url.protocol}`);
  }
  const now = Date.now() / 1000;
  url.searchParams.set('query', promql.text);
  if (window.range === undefined) url.searchParams.set('time', String(now));
  else {
    url.searchParams.set('start', String(now - window.range));
    url.searchParams.set('end', String(now));
    url.searchParams.set('step', `${window.step}s`);
  }
  const auth = authorization(ctx, spec);
  if (!auth.ok) {
    ctx.started();
    return failed(auth.error);
  }
  const headers: Record<string, string> = { Accept: 'application/json', ...(auth.header !== undefined ? { Authorization: auth.header } : {}) };
  const shown = ctx.redactor.redactText(url.toString());
  // The credential never enters the record: the command shows where it goes, masked.
  const authArgs = auth.header === undefined ? [] : ['-H', `Authorization: ${auth.header.split(' ')[0]} [secret]`];
  ctx.started({ argv: ['GET', shown, ...authArgs], display: quoteForShell(['curl', '-sS', ...authArgs, shown]), target: 'local' });

  let timeoutMs = ctx.options.defaultTimeoutMs;
  if (spec.timeout !== undefined) {
    const parsed = renderedDuration(ctx, spec.timeout, 'timeout');
    if (!parsed.ok) return failed(parsed.error);
    timeoutMs = parsed.seconds * 1000;
  }
  // The prometheus parser reads an answer whole: more than it reads cannot be used.
  const maxBytes = Math.min(spec.max_bytes ?? MAX_PARSE_BYTES, MAX_PARSE_BYTES);
  const got = await httpGetToArtifact(ctx, {
    url,
    shown,
    headers,
    timeoutMs,
    maxBytes,
    tooLarge: `the answer is larger than max_bytes (${maxBytes} bytes): narrow the query (label matchers, an aggregation such as max by (instance) (…)), ask a shorter range or a coarser step${maxBytes < MAX_PARSE_BYTES ? `, or raise max_bytes (up to ${MAX_PARSE_BYTES} bytes, what the prometheus parser reads)` : ''}`,
  });
  if (!got.ok) return got.outcome;
  const meta: Record<string, FactValue> = {
    url: shown,
    http_status: got.httpStatus,
    bytes: got.bytes,
    promql: shownQuery,
    ...(window.range !== undefined ? { range_s: window.range, step_s: window.step } : {}),
  };
  const parsed = parseEvidence(got.artifact, 'prometheus', parserOptions(spec), ctx.scope);
  const outcome = { artifacts: { body: got.artifact }, meta, facts: parsed.facts, warnings: parsed.warnings };
  if (got.httpStatus < 200 || got.httpStatus > 299) {
    return failed(`GET ${shown} answered HTTP ${got.httpStatus}${parsed.error !== undefined ? `: ${parsed.error.replace(/^prometheus: /, '')}` : ''}`, outcome);
  }
  return parsed.error !== undefined ? failed(parsed.error, outcome) : { status: 'passed', ...outcome };
}

function replayAnswer(ctx: StepContext, spec: QuerySpec, stepId: string, shownQuery: string): StepOutcome {
  ctx.started();
  const recorded = bundleQueryAnswer(ctx.options.bundle!, stepId);
  if (!existsSync(recorded)) {
    return { status: 'skipped', reason: `the bundle holds no recorded answer for this query (${recorded}); copy the body artifact of a live run of this step there to replay it` };
  }
  const artifact = ctx.artifact('body');
  writeFileSync(artifact, ctx.redactor.redactBytes(readFileSync(recorded)), { mode: FILE_MODE, flag: 'wx' });
  const parsed = parseEvidence(artifact, 'prometheus', parserOptions(spec), ctx.scope);
  const outcome = { artifacts: { body: artifact }, meta: { recorded, promql: shownQuery }, facts: parsed.facts, warnings: parsed.warnings };
  return parsed.error !== undefined ? failed(parsed.error, outcome) : { status: 'passed', ...outcome };
}

/** An optional input the query names and nobody gave (the service's `instance`): the step is
 *  skipped saying how to give it, and the runbook goes on without this history. */
function missingOptionalInput(ctx: StepContext, spec: QuerySpec): StepOutcome | undefined {
  for (const path of templatePaths(spec.promql)) {
    const name = path.split('.')[0]!;
    const declared = ctx.declaredInputs[name];
    const value = ctx.inputs[name];
    if (declared?.optional !== true || (value !== undefined && value !== '')) continue;
    const what = declared.prompt ?? declared.description ?? name;
    return { status: 'skipped', reason: `the query needs the input ${name} (${what}), which was not given: pass --var ${name}=<${declared.type}>` };
  }
  return undefined;
}

type Base = { ok: true; url: string } | { ok: false; outcome: StepOutcome };

/** The step's `prometheus:`, else the input `prometheus`, else the setting; none is a skip
 *  with the reason, so a runbook runs on without the history. */
function prometheusBase(ctx: StepContext, spec: QuerySpec): Base {
  if (spec.prometheus !== undefined) {
    const rendered = renderText(spec.prometheus, ctx.scope);
    if (!rendered.ok) return { ok: false, outcome: failed(`prometheus: ${rendered.error}`) };
    if (rendered.text.trim() !== '') return { ok: true, url: rendered.text.trim() };
  }
  const input = ctx.inputs['prometheus'];
  if (typeof input === 'string' && input.trim() !== '') return { ok: true, url: input.trim() };
  if (ctx.options.prometheus !== undefined && ctx.options.prometheus !== '') return { ok: true, url: ctx.options.prometheus };
  return {
    ok: false,
    outcome: { status: 'skipped', reason: 'no Prometheus to ask: give its URL (--var prometheus=http://HOST:9090) or set one for every runbook (runbook config set prometheus http://HOST:9090)' },
  };
}

type Window = { ok: true; range?: number; step: number } | { ok: false; error: string };

function queryWindow(ctx: StepContext, spec: QuerySpec): Window {
  if (spec.range === undefined) return { ok: true, step: 0 };
  const range = renderedDuration(ctx, spec.range, 'range');
  if (!range.ok) return range;
  if (range.seconds <= 0) return { ok: false, error: 'range: must be longer than 0s' };
  if (spec.step === undefined) return { ok: true, range: range.seconds, step: defaultStepSeconds(range.seconds) };
  const step = renderedDuration(ctx, spec.step, 'step');
  if (!step.ok) return step;
  if (step.seconds <= 0) return { ok: false, error: 'step: must be longer than 0s' };
  // Prometheus refuses more than 11,000 points per series; say so before asking.
  if (range.seconds / step.seconds > 11_000) return { ok: false, error: `range / step is ${Math.round(range.seconds / step.seconds)} points, more than the 11,000 Prometheus answers: choose a coarser step` };
  return { ok: true, range: range.seconds, step: step.seconds };
}

function renderedDuration(ctx: StepContext, template: string, key: string): { ok: true; seconds: number } | { ok: false; error: string } {
  const text = renderText(template, ctx.scope);
  if (!text.ok) return { ok: false, error: `${key}: ${text.error}` };
  const parsed = parseDuration(text.text);
  return parsed.ok ? { ok: true, seconds: parsed.ms / 1000 } : { ok: false, error: `${key}: ${parsed.error}` };
}

function authorization(ctx: StepContext, spec: QuerySpec): { ok: true; header?: string } | { ok: false; error: string } {
  if (spec.bearer_token !== undefined) {
    const token = renderText(spec.bearer_token, ctx.scope);
    if (!token.ok) return { ok: false, error: `bearer_token: ${token.error}` };
    return { ok: true, header: `Bearer ${token.text}` };
  }
  if (spec.basic_auth !== undefined) {
    const user = renderText(spec.basic_auth.username, ctx.scope);
    const password = renderText(spec.basic_auth.password, ctx.scope);
    if (!user.ok) return { ok: false, error: `basic_auth.username: ${user.error}` };
    if (!password.ok) return { ok: false, error: `basic_auth.password: ${password.error}` };
    return { ok: true, header: `Basic ${Buffer.from(`${user.text}:${password.text}`, 'utf8').toString('base64')}` };
  }
  return { ok: true };
}

/** A metric named as a point in time (process_start_time_seconds, *_timestamp_seconds). */
const DATE_METRIC = /[A-Za-z0-9_:]_(?:time|timestamp)_seconds\b/;

/** The parser's options: the noise floor, and whether the query names a date metric, so an
 *  aggregated series that lost its name is still read as dates (any change counts). */
function parserOptions(spec: QuerySpec): Record<string, unknown> {
  return { ...(spec.noise_floor === undefined ? {} : { noise_floor: spec.noise_floor }), ...(DATE_METRIC.test(spec.promql) ? { query_names_dates: true } : {}) };
}
