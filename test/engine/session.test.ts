import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { UserError } from '../../src/errors.js';
import { MAX_JOURNAL_ARRAY } from '../../src/engine/facts.js';
import { finished, fixture, journalOf, startSession, tempStateDir } from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => {
  state = tempStateDir();
});
afterEach(() => state.remove());

describe('branching on parsed output (real processes)', () => {
  it('takes the slow branch when the parsed number is above the threshold, and records why', async () => {
    const { session } = await startSession(state.dir, fixture('branching.yaml'), { vars: { p99: '27.5' } });
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome).toMatchObject({ status: 'concluded', exitCode: 0, conclusion: { finding: 'slow', text: 'p99 is 27.5 ms, above 10 ms' } });
    const [measure] = finished(await journalOf(session), 'measure');
    expect(measure!.facts).toEqual({ matched: true, p99_ms: 27.5 });
    expect(measure!.decision).toMatchObject({ rule: 0, expression: 'measure.p99_ms > 10', values: { 'measure.p99_ms': 27.5 }, result: true, goto: 'slow' });
    expect(measure!.decision!.explanation).toContain('27.5 > 10');
    expect(session.state.path).toEqual(['measure', 'slow']);
  });

  it('takes the fast branch otherwise, recording the rejected rule', async () => {
    const { session } = await startSession(state.dir, fixture('branching.yaml'), { vars: { p99: '5' } });
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome.conclusion?.finding).toBe('fast');
    const records = await journalOf(session);
    const [measure] = finished(records, 'measure');
    expect(measure!.decision).toMatchObject({ rule: 1, goto: 'count', rejected: [{ rule: 0, expression: 'measure.p99_ms > 10', values: { 'measure.p99_ms': 5 } }] });
    const [count] = finished(records, 'count');
    expect(count!.decision!.values).toEqual({ 'count.count': 3, 'measure.p99_ms': 5 });
    expect(session.state.path).toEqual(['measure', 'count', 'fast']);
  });

  it('lets a runbook branch on a failure through status and exit_code', async () => {
    const { session } = await startSession(state.dir, fixture('timeout-branch.yaml'));
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome).toMatchObject({ exitCode: 0, conclusion: { finding: 'probe-failed', text: 'probe failed with 3' } });
    const [probe] = finished(await journalOf(session), 'probe');
    expect(probe).toMatchObject({ status: 'failed', exit_code: 3, reason: 'exit code 3: oops' });
  });

  it('fails the step, naming the fact, when a rule reads a fact that does not exist', async () => {
    const { session } = await startSession(state.dir, fixture('missing-fact.yaml'));
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome).toMatchObject({ status: 'failed', exitCode: 1 });
    const [measure] = finished(await journalOf(session), 'measure');
    expect(measure!.status).toBe('failed');
    expect(measure!.reason).toMatch(/unknown fact 'measure\.p95_ms'/);
  });
});

describe('a compute step that fails on one key', () => {
  it('fails, keeps what it computed for the record, and lets only a failure rule route it', async () => {
    const { session } = await startSession(state.dir, fixture('compute-fails.yaml'));
    const outcome = await session.runToEnd();
    session.close();
    // Not big-but-steady: `rss_mb > 100` held, but the rule above it could not be read.
    expect(outcome).toMatchObject({ status: 'concluded', conclusion: { finding: 'unknown-growth' } });
    expect(outcome.conclusion?.text).toContain("compute growth_mb: unknown fact 'measure.baseline_mb'");
    const [judge] = finished(await journalOf(session), 'judge');
    expect(judge).toMatchObject({ status: 'failed', facts: { rss_mb: 300 } });
    expect(judge!.decision).toMatchObject({ rule: 2, goto: 'handled' });
    expect(judge!.decision!.rejected!.map((r) => r.rule)).toEqual([0, 1]);
    expect(judge!.decision!.rejected![1]!.error).toMatch(/rss_mb/);
  });
});

describe('facts', () => {
  it('caps long arrays in the journal, keeps the full facts in an artifact, and computes in order', async () => {
    const { session } = await startSession(state.dir, fixture('many-facts.yaml'));
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome.conclusion?.text).toBe('100 lines, twice 200');
    const [hundred] = finished(await journalOf(session), 'hundred');
    const lines = hundred!.facts!.lines as unknown[];
    expect(lines).toHaveLength(MAX_JOURNAL_ARRAY + 1);
    expect(lines[MAX_JOURNAL_ARRAY]).toMatch(/80 more/);
    const full = JSON.parse(readFileSync(join(session.paths.dir, hundred!.artifacts!.facts!), 'utf8'));
    expect(full.lines).toHaveLength(100);
    expect(statSync(join(session.paths.dir, hundred!.artifacts!.stdout!)).mode & 0o777).toBe(0o600);
    // A compute step's own facts are bare names in its next rules (docs/design.md example).
    const [sum] = finished(await journalOf(session), 'sum');
    expect(sum!.decision).toMatchObject({ rule: 0, values: { twice: 200 }, goto: 'done' });
  });
});

describe('people in the loop', () => {
  it('routes on an ask choice given with --answer', async () => {
    const { session } = await startSession(state.dir, fixture('ask.yaml'), { answers: { restart: 'no' } });
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome.conclusion?.finding).toBe('steady');
    const [ask] = finished(await journalOf(session), 'restart');
    expect(ask).toMatchObject({ answer: 'no', decision: { source: 'answer', goto: 'steady' } });
  });

  it('stops with a UserError naming the --answer to pass when nobody can answer', async () => {
    const { session } = await startSession(state.dir, fixture('ask.yaml'));
    const error = await session.runToEnd().catch((e: unknown) => e);
    session.close();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).hint).toBe('pass --answer restart=<yes|no>');
    const records = await journalOf(session);
    expect(records.at(-1)).toMatchObject({ type: 'session.ended', status: 'interrupted', exit_code: 2 });
  });

  it('refuses a mutating step without --yes and runs it with --yes', async () => {
    const target = join(state.dir, 'touched');
    const refused = await startSession(state.dir, fixture('mutates.yaml'), { vars: { file: target } });
    const error = await refused.session.runToEnd().catch((e: unknown) => e);
    refused.session.close();
    expect((error as UserError).hint).toMatch(/--yes/);
    expect(() => statSync(target)).toThrow();
    const allowed = await startSession(state.dir, fixture('mutates.yaml'), { vars: { file: target }, options: { yes: true } });
    expect((await allowed.session.runToEnd()).exitCode).toBe(0);
    allowed.session.close();
    expect(statSync(target).isFile()).toBe(true);
  });

  it('reads a file, counts down a wait, and records a checklist and a note', async () => {
    const file = join(state.dir, 'settings.conf');
    writeFileSync(file, 'mode = turbo\nworkers: 4\n');
    const { session, events } = await startSession(state.dir, fixture('manual.yaml'), {
      vars: { file },
      answers: { checks: '2', remark: 'GC looked busy' },
    });
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome.conclusion?.text).toBe('mode turbo, 1 checked, note: GC looked busy');
    const countdown = events.filter((e) => e.type === 'step.progress' && e.step === 'pause');
    expect(countdown.length).toBeGreaterThanOrEqual(1);
    const records = await journalOf(session);
    expect(finished(records, 'checks')[0]!.checklist).toEqual([
      { item: 'Dashboards open', checked: false },
      { item: 'Incident channel joined', checked: true },
    ]);
    expect(finished(records, 'remark')[0]!.note).toBe('GC looked busy');
  });

  it('cancels a wait and ends the session as cancelled (130)', async () => {
    const file = join(state.dir, 'settings.conf');
    writeFileSync(file, 'mode = turbo\n');
    const { session, events } = await startSession(state.dir, fixture('manual.yaml'), { vars: { file } });
    const run = session.runToEnd();
    await waitFor(() => events.some((e) => e.type === 'step.progress' && e.step === 'pause'));
    session.cancelCurrent();
    const outcome = await run;
    session.close();
    expect(outcome).toMatchObject({ status: 'cancelled', exitCode: 130 });
    expect(finished(await journalOf(session), 'pause')[0]!.status).toBe('cancelled');
  });
});

describe('fetch', () => {
  let server: Server;
  let base: string;
  let body = '';
  beforeEach(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return; // never answers
      res.setHeader('content-type', 'application/json');
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    server.closeAllConnections();
    server.close();
  });

  it('fetches to an artifact, parses and branches', async () => {
    body = JSON.stringify({ goroutines: 5000 });
    const { session } = await startSession(state.dir, fixture('fetch.yaml'), { vars: { url: `${base}/debug/vars` } });
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome.conclusion).toMatchObject({ finding: 'goroutine-leak', text: '5000 goroutines' });
    const [vars] = finished(await journalOf(session), 'vars');
    expect(vars!.meta).toMatchObject({ http_status: 200, bytes: body.length });
    expect(readFileSync(join(session.paths.dir, vars!.artifacts!.body!), 'utf8')).toBe(body);
  });

  it('fails a response over max_bytes and times out a silent server', async () => {
    body = JSON.stringify({ goroutines: 1, pad: 'x'.repeat(5000) });
    const big = await startSession(state.dir, fixture('fetch.yaml'), { vars: { url: `${base}/big` } });
    expect((await big.session.runToEnd()).exitCode).toBe(1);
    big.session.close();
    expect(finished(await journalOf(big.session), 'vars')[0]!.reason).toMatch(/larger than max_bytes \(4096\)/);

    const slow = await startSession(state.dir, fixture('fetch.yaml'), { vars: { url: `${base}/slow` } });
    const started = Date.now();
    expect((await slow.session.runToEnd()).exitCode).toBe(1);
    slow.session.close();
    expect(Date.now() - started).toBeLessThan(4000);
    expect(finished(await journalOf(slow.session), 'vars')[0]!.status).toBe('timeout');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('driving step by step (the TUI way)', () => {
  it('keeps a cancelled step current, then runs it again, skips and re-runs on request', async () => {
    const file = join(state.dir, 'settings.conf');
    writeFileSync(file, 'mode = turbo\n');
    const { session, events } = await startSession(state.dir, fixture('manual.yaml'), { vars: { file }, answers: { checks: 'all', remark: 'ok' } });
    expect((await session.runCurrent())!.status).toBe('passed');
    const waiting = session.runCurrent();
    await waitFor(() => events.some((e) => e.type === 'step.progress' && e.step === 'pause'));
    session.cancelCurrent();
    expect((await waiting)!.status).toBe('cancelled');
    expect(session.state.currentStep).toBe('pause');
    expect(session.state.status).toBe('running');
    expect(session.skipCurrent('no time to wait')!.status).toBe('skipped');
    expect(session.state.currentStep).toBe('checks');
    const again = await session.rerun('settings');
    expect(again).toMatchObject({ step: 'settings', attempt: 2, status: 'passed' });
    expect(session.state.currentStep).toBe('pause');
    session.addNote('looked at the dashboards');
    session.end('interrupted', 0, 'engineer quit');
    session.close();
    const records = await journalOf(session);
    expect(records.find((r) => r.type === 'note.added')).toMatchObject({ text: 'looked at the dashboards', step: 'pause' });
    expect(finished(records, 'settings').map((r) => r.attempt)).toEqual([1, 2]);
    expect(session.state.steps.find((s) => s.id === 'settings')).toMatchObject({ attempts: 2, status: 'passed' });
  });
});
