// Which runbook answers an alert: names, the four matcher operators (anchored regexes, absent
// labels as ""), and the most specific of several matching runbooks, or a tie named.
import { describe, expect, it } from 'vitest';
import { bestRunbook, matchesAlert, runbooksFor } from '../../src/alerts/match-runbooks.js';
import type { Alert } from '../../src/alerts/payload.js';
import { labelMatches, parseLabelMatcher } from '../../src/runbook/label-matcher.js';
import type { MatchSpec } from '../../src/runbook/types.js';

const alert = (name: string, labels: Record<string, string> = {}): Alert => ({ name, labels: { alertname: name, ...labels }, annotations: {}, starts_at: '2026-12-07T14:00:00.000Z' });

function matcher(text: string) {
  const parsed = parseLabelMatcher(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.matcher;
}

describe('label matchers', () => {
  const labels = { job: 'payments-api', env: 'prod', instance: '10.0.3.7:8080' };
  it.each([
    ['job="payments-api"', true],
    ['job="payments"', false],
    ['job!="payments"', true],
    ['job!="payments-api"', false],
    ['job=~"payments-.*"', true],
    // Anchored: a regex matching part of the value does not match it.
    ['job=~"payments"', false],
    ['job=~"api"', false],
    ['env!~"dev|test"', true],
    ['env!~"prod|dev"', false],
    ['instance=~"10\\.0\\..*"', true],
    ['instance=~"10\\.1\\..*"', false],
    // An absent label is "".
    ['team=""', true],
    ['team!=""', false],
    ['team=~".*"', true],
    ['team=~".+"', false],
    // Bare values and spaces around the operator, as Alertmanager takes them.
    ['job = payments-api', true],
    // RE2's leading (?i) is case-insensitivity, as in Alertmanager; without it case counts.
    ['job=~"(?i)PAYMENTS-.*"', true],
    ['job=~"PAYMENTS-.*"', false],
    ['job!~"(?i)Payments-API"', false],
    ['instance=~"\\(?10\\.0\\.3\\.7.*"', true],
  ])('%s → %s', (text, expected) => {
    expect(labelMatches(matcher(text), labels)).toBe(expected);
  });

  it('unquotes Go escapes and keeps a regex\'s own backslashes', () => {
    expect(matcher('msg="say \\"hi\\"\\n"').value).toBe('say "hi"\n');
    expect(matcher('ip=~"10\\.0\\.\\d+"').value).toBe('10\\.0\\.\\d+');
    expect(matcher('job="api,env=prod"').value).toBe('api,env=prod');
  });

  it.each([
    ['job', 'is not a label matcher'],
    ['="x"', 'is not a label matcher'],
    ['job=="x"', 'is neither one "quoted string" nor bare text without quotes'],
    ['job="x', 'is neither one "quoted string" nor bare text without quotes'],
    ['job="a"b"', 'is neither one "quoted string" nor bare text without quotes'],
    ['job=~"(x"', 'the regex does not compile: Unterminated group'],
    ['job=~"[z-a]"', 'the regex does not compile'],
    // Two matchers in one entry are not one value.
    ['job=api,env=prod', 'a bare value holds no comma; give each matcher its own list entry'],
    // RE2 constructs JavaScript would read otherwise (or not at all) are named.
    ['job=~"(?s)pay.*"', 'an RE2 flag group'],
    ['job=~"pay(?i)ments"', 'an RE2 flag group'],
    ['job=~"(?i:pay)ments"', 'an RE2 flag group'],
    ['job=~"(?P<svc>pay).*"', 'an RE2 (?P<name>…) group is not accepted'],
    ['job=~"[[:alpha:]-]+"', 'an RE2 POSIX class ([[:alpha:]]) is not accepted'],
  ])('refuses %s', (text, message) => {
    const parsed = parseLabelMatcher(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain(message);
  });
});

describe('matching runbooks', () => {
  const runbook = (id: string, match?: MatchSpec) => ({ id, ...(match !== undefined ? { match } : {}) });
  const memory = runbook('go-memory', { alertname: ['GoMemoryHigh', 'GoMemoryGrowth'] });
  const paymentsMemory = runbook('payments-memory', { alertname: 'GoMemoryGrowth', matchers: ['job="payments-api"'] });
  const anyPage = runbook('any-page', { matchers: ['severity="page"'] });
  const none = runbook('no-match');

  it('needs the name among alertname and every matcher to hold', () => {
    expect(matchesAlert(memory.match!, alert('GoMemoryHigh'))).toBe(true);
    expect(matchesAlert(memory.match!, alert('GoGoroutinesHigh'))).toBe(false);
    expect(matchesAlert(paymentsMemory.match!, alert('GoMemoryGrowth', { job: 'payments-api' }))).toBe(true);
    expect(matchesAlert(paymentsMemory.match!, alert('GoMemoryGrowth', { job: 'ledger' }))).toBe(false);
    expect(matchesAlert(paymentsMemory.match!, alert('GoMemoryHigh', { job: 'payments-api' }))).toBe(false);
  });

  it('orders the runbooks that match, most specific first; a runbook without match: answers nothing', () => {
    const runbooks = [none, anyPage, memory, paymentsMemory];
    const payments = alert('GoMemoryGrowth', { job: 'payments-api', severity: 'page' });
    expect(runbooksFor(payments, runbooks).map((m) => [m.runbook.id, m.specificity])).toEqual([['payments-memory', 2], ['any-page', 1], ['go-memory', 1]]);
    expect(bestRunbook(payments, runbooks)).toEqual({ ok: true, runbook: paymentsMemory });
    expect(bestRunbook(alert('GoMemoryGrowth', { job: 'ledger' }), runbooks)).toEqual({ ok: true, runbook: memory });
  });

  it('names a tie and a miss instead of choosing', () => {
    const tie = bestRunbook(alert('GoMemoryGrowth', { job: 'ledger', severity: 'page' }), [anyPage, memory]);
    expect(tie).toEqual({ ok: false, reason: 'runbooks any-page, go-memory match alert GoMemoryGrowth equally', candidates: [anyPage, memory] });
    expect(bestRunbook(alert('DiskFull'), [memory, none])).toEqual({ ok: false, reason: "no runbook's match: answers alert DiskFull", candidates: [] });
  });
});
