// The firing alerts of an Alertmanager: `GET /api/v2/alerts` without silenced and
// inhibited ones, through the bounded GET snapshot collectors use (a timeout, a size cap),
// the alerts and any message redacted (a label or the URL can carry a credential).
import { fetchBounded } from '../collectors/http-fetch.js';
import { createRedactor } from '../redact/create-redactor.js';
import { parseAlertPayload, type AlertPayload } from './payload.js';

const TIMEOUT_MS = 10_000;
/** Thousands of alerts are a few MiB; more is not an Alertmanager answering. */
const MAX_BYTES = 32 * 1024 * 1024;

export type FiringAlerts = { ok: true; payload: AlertPayload } | { ok: false; reason: string };

/** The Alertmanager URL as messages show it: a user:password@ part masked. */
export function shownAlertmanager(base: string): string {
  return createRedactor().redactText(base);
}

export async function firingAlerts(base: string, signal?: AbortSignal): Promise<FiringAlerts> {
  let url: URL;
  try {
    url = new URL('api/v2/alerts', base.endsWith('/') ? base : `${base}/`);
  } catch {
    return { ok: false, reason: `'${shownAlertmanager(base)}' is not a URL` };
  }
  url.searchParams.set('active', 'true');
  url.searchParams.set('silenced', 'false');
  url.searchParams.set('inhibited', 'false');
  const redactor = createRedactor();
  const got = await fetchBounded(url.toString(), { timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES, ...(signal !== undefined ? { signal } : {}) });
  if (!got.ok) return { ok: false, reason: redactor.redactText(got.reason) };
  const parsed = parseAlertPayload(got.bytes.toString('utf8'));
  if (!parsed.ok) return { ok: false, reason: redactor.redactText(`GET ${url.toString()}: ${parsed.error}`) };
  return { ok: true, payload: redactor.redactValue(parsed.payload) };
}
