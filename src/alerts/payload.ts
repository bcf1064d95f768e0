// Alertmanager alerts as JSON: a webhook notification (`{"version":"4","alerts":[…]}`, what
// a receiver is POSTed) or the array `GET /api/v2/alerts` answers. Pure and total: any text
// gives either the firing alerts (with what was left out, counted) or one sentence saying
// what is wrong with it.
import type { AlertRecord } from '../journal/records.js';

export type Alert = AlertRecord;

export interface AlertPayload {
  /** Firing alerts, in the payload's order. */
  firing: Alert[];
  /** Alerts in the payload that are not firing: resolved, silenced or inhibited. */
  notFiring: number;
  /** Entries that are not alerts (no labels, no alertname), said per entry. */
  warnings: string[];
}

export type PayloadParse = { ok: true; payload: AlertPayload } | { ok: false; error: string };

export function parseAlertPayload(text: string): PayloadParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not JSON (${(error as Error).message})` };
  }
  const entries = Array.isArray(json) ? json : isObject(json) && Array.isArray(json.alerts) ? json.alerts : undefined;
  if (entries === undefined) {
    return { ok: false, error: 'neither an Alertmanager webhook payload ({"version":"4","alerts":[…]}) nor the JSON array GET /api/v2/alerts answers' };
  }
  const payload: AlertPayload = { firing: [], notFiring: 0, warnings: [] };
  entries.forEach((entry: unknown, index) => {
    const alert = readAlert(entry);
    if (typeof alert === 'string') payload.warnings.push(`alert ${index + 1}: ${alert}`);
    else if (alert === undefined) payload.notFiring += 1;
    else payload.firing.push(alert);
  });
  return { ok: true, payload };
}

/** The alert if firing, undefined if not, or what is wrong with the entry. */
function readAlert(entry: unknown): Alert | undefined | string {
  if (!isObject(entry)) return 'not an object';
  const labels = stringMap(entry.labels);
  if (labels === undefined) return 'no labels (a mapping of strings)';
  const name = labels.alertname;
  if (name === undefined || name === '') return 'no alertname label';
  if (!firing(entry.status)) return undefined;
  const startsAt = typeof entry.startsAt === 'string' && !Number.isNaN(Date.parse(entry.startsAt)) ? entry.startsAt : undefined;
  if (startsAt === undefined) return `${name}: no startsAt time`;
  const alert: Alert = { name, labels, annotations: stringMap(entry.annotations) ?? {}, starts_at: new Date(startsAt).toISOString() };
  if (typeof entry.fingerprint === 'string' && entry.fingerprint !== '') alert.fingerprint = entry.fingerprint;
  if (typeof entry.generatorURL === 'string' && entry.generatorURL !== '') alert.generator_url = entry.generatorURL;
  return alert;
}

/** A webhook alert says `"firing"`/`"resolved"`; an API v2 alert `{"state": "active" |
 *  "suppressed" | "unprocessed"}` (suppressed: silenced or inhibited, nobody is paged). */
function firing(status: unknown): boolean {
  if (typeof status === 'string') return status === 'firing';
  if (isObject(status)) return status.state === 'active' || status.state === 'unprocessed';
  return false;
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.some(([, v]) => typeof v !== 'string')) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
