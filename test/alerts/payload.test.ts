// Alertmanager JSON in both shapes it comes in: the webhook notification a receiver is
// POSTed and the array GET /api/v2/alerts answers (recorded from Alertmanager 0.25,
// test/fixtures/alerts/SOURCE.txt). Only firing alerts are kept; anything else is one
// sentence, never a throw.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAlertPayload } from '../../src/alerts/payload.js';

const fixture = (name: string): string => readFileSync(`test/fixtures/alerts/${name}`, 'utf8');

describe('parseAlertPayload', () => {
  it('reads a webhook payload: firing alerts kept with labels, annotations, start, fingerprint, rule link; resolved ones counted', () => {
    const parsed = parseAlertPayload(fixture('webhook.json'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.payload.firing.map((a) => a.labels['job'])).toEqual(['ledger', 'payments-api']);
    expect(parsed.payload.notFiring).toBe(1);
    // An empty generatorURL is no link.
    expect(parsed.payload.firing[0]!.generator_url).toBeUndefined();
    expect(parsed.payload.firing[1]).toEqual({
      name: 'GoMemoryGrowth',
      labels: { alertname: 'GoMemoryGrowth', instance: '127.0.0.1:41235', job: 'payments-api', severity: 'page' },
      annotations: { summary: 'RSS of payments-api grows' },
      starts_at: '2026-12-07T14:04:23.510Z',
      fingerprint: '6ae61de6cc3d2e7a',
      generator_url: 'http://127.0.0.1:40111/graph?g0.expr=deriv%28process_resident_memory_bytes%5B10s%5D%29+%3E+262144&g0.tab=1',
    });
  });

  it('reads GET /api/v2/alerts: active and unprocessed alerts fire, suppressed (silenced, inhibited) ones do not', () => {
    const parsed = parseAlertPayload(fixture('api-v2-alerts.json'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.payload.firing.map((a) => [a.name, a.labels['job']])).toEqual([
      ['GoMemoryGrowth', 'payfast-7a1c2e'],
      ['GoMemoryGrowth', 'payslow-7a1c2e'],
    ]);
    expect(parsed.payload.notFiring).toBe(1);
    expect(parsed.payload.firing[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('says what is wrong with garbage, per payload or per entry', () => {
    expect(parseAlertPayload('')).toEqual({ ok: false, error: expect.stringMatching(/^not JSON/) });
    expect(parseAlertPayload('{"version":"4"}')).toEqual({ ok: false, error: expect.stringContaining('neither an Alertmanager webhook payload') });
    expect(parseAlertPayload('42')).toMatchObject({ ok: false });
    const entries = parseAlertPayload(JSON.stringify([null, { labels: { job: 'x' }, status: 'firing' }, { labels: { alertname: 'A', n: 1 } }, { labels: { alertname: 'B' }, status: 'firing' }]));
    expect(entries).toEqual({
      ok: true,
      payload: { firing: [], notFiring: 0, warnings: ['alert 1: not an object', 'alert 2: no alertname label', 'alert 3: no labels (a mapping of strings)', 'alert 4: B: no startsAt time'] },
    });
  });

  it('keeps a label named __proto__ as a label, not a prototype', () => {
    const parsed = parseAlertPayload('[{"labels":{"alertname":"A","__proto__":"x"},"status":{"state":"active"},"startsAt":"2026-01-01T00:00:00Z"}]');
    expect(parsed.ok && Object.keys(parsed.payload.firing[0]!.labels)).toEqual(['alertname', '__proto__']);
  });

  it('is total: any text, any JSON, any alert-shaped value gives a result, never a throw', () => {
    const alertish = fc.record({ labels: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())), status: fc.oneof(fc.constantFrom('firing', 'resolved'), fc.record({ state: fc.string() })), startsAt: fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())) }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.array(alertish).map((a) => JSON.stringify(a)), fc.array(alertish).map((alerts) => JSON.stringify({ version: '4', alerts }))), (text) => {
      const parsed = parseAlertPayload(text);
      expect(typeof parsed.ok).toBe('boolean');
    }), { numRuns: 500 });
  });
});
