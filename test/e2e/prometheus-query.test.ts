// The `query` step against a real Prometheus (Debian's /usr/bin/prometheus on loopback)
// scraping the real Go test service every second: two c-heap leaks at different rates and a
// healthy service, scraped at once. The runbook reads RSS over the last seconds through the
// built binary; its facts must say steady growth at about the leak's rate for the leaks and
// flat for the healthy one. A hostile label value goes through a real PromQL parse unchanged.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { goServiceSkipReason, startGoService } from '../helpers/go-service.js';
import { everyJobAtLeast, prometheusSkipReason, startScrapedServices, type Prometheus, type ScrapedServices } from '../helpers/prometheus.js';

/** leaky c-heap leaks 1 MiB of touched malloc memory per 100 ms at rate 1. */
const C_HEAP_MIB_PER_S = 10;
/** Samples (one a second) every job must have before the runbook reads the window. */
const SAMPLES = 20;
const WINDOW_S = 18;

const runbook = `id: rss-window
title: RSS over a window
summary: How has RSS moved?
inputs:
  prometheus: { type: url, optional: true }
  job: { type: string }
  window: { type: duration, default: ${WINDOW_S}s }
steps:
  - id: rss
    title: RSS over the window
    query:
      promql: 'process_resident_memory_bytes{job="{{ job }}"}'
      range: "{{ window }}"
      step: 1s
      timeout: 10s
      noise_floor: 4194304
  - id: done
    conclude: { finding: rss-window, severity: info, text: "RSS {{ rss.trend }}" }
`;

/** Values that would end a string literal, start a comment or another literal, or that no
 *  terminal shows: each must reach Prometheus as exactly one label value. */
const HOSTILE = ['"}or vector(2)', 'a\\"b', '\\', 'line\nbreak', '# comment', "x' or vector(3) or '", '`raw`', 'ünïcødé ✓ 🙂', 'tab\there\u0001', '{{ job }}'];

const hostileRunbook = [
  'id: hostile-label',
  'title: A hostile value stays one label value',
  'summary: PromQL escaping',
  'inputs:',
  '  prometheus: { type: url }',
  ...HOSTILE.map((_, i) => `  v${i}: { type: string }`),
  'steps:',
  ...HOSTILE.flatMap((_, i) => [`  - id: echo${i}`, '    query:', `      promql: 'label_replace(vector(1), "echo", "{{ v${i} }}", "", "")'`]),
  '  - id: done',
  '    conclude: { finding: echoed, severity: info, text: "echoed" }',
  '',
].join('\n');

const limitsRunbook = `id: limits
title: Credentials and limits
summary: secrets masked, size cap named
inputs:
  prometheus: { type: url }
  token: { type: secret }
steps:
  - id: authed
    query:
      promql: 'up'
      bearer_token: "{{ token }}"
  - id: capped
    query:
      promql: 'process_resident_memory_bytes'
      range: 15s
      max_bytes: 300
  - id: done
    conclude: { finding: unreachable, severity: info, text: "the capped step fails first" }
`;

const badQueryRunbook = `id: bad-query
title: Prometheus refuses
summary: its error is the reason
inputs:
  prometheus: { type: url }
steps:
  - id: bad
    query:
      promql: 'rate(up)'
  - id: done
    conclude: { finding: unreachable, severity: info, text: "the bad step fails first" }
`;

interface Facts {
  [name: string]: unknown;
}

describe.skipIf(goServiceSkipReason !== undefined || prometheusSkipReason !== undefined)('query step against a real Prometheus', () => {
  const rates: Record<string, number> = { 'leak-slow': 0.1, 'leak-fast': 0.3 };
  let scraped: ScrapedServices | undefined;
  let prometheus: Prometheus | undefined;
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-query-'));
    writeFileSync(join(dir, 'rss-window.yaml'), runbook);
    writeFileSync(join(dir, 'hostile.yaml'), hostileRunbook);
    writeFileSync(join(dir, 'limits.yaml'), limitsRunbook);
    writeFileSync(join(dir, 'bad-query.yaml'), badQueryRunbook);
    scraped = await startScrapedServices({
      'leak-slow': startGoService('c-heap', { rate: rates['leak-slow'], gctrace: false }),
      'leak-fast': startGoService('c-heap', { rate: rates['leak-fast'], gctrace: false }),
      healthy: startGoService('healthy', { gctrace: false }),
    });
    prometheus = scraped.prometheus;
    // Every job scraped successfully SAMPLES times: the window then holds only samples of the running mode.
    await prometheus.waitFor(`count_over_time(process_resident_memory_bytes[5m])`, everyJobAtLeast(Object.keys(scraped.services), SAMPLES), `${SAMPLES} RSS samples of every job`);
  });

  afterAll(async () => {
    await scraped?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  interface StepRun {
    facts: Facts;
    /** The Prometheus answer as recorded (the facts' text is stripped of control characters). */
    answer: { data?: { result?: Array<{ metric: Record<string, string> }> } };
  }

  async function run(file: string, vars: Record<string, string>): Promise<{ steps: Record<string, StepRun>; stdout: string; exitCode: number | undefined }> {
    const state = join(dir, 'state');
    const args = ['run', join(dir, file), '--non-interactive', '--json', ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`])];
    const result = await runCli(args, { env: { RUNBOOK_STATE_DIR: state, RUNBOOK_CONFIG_DIR: join(dir, 'config'), CI: 'true' }, timeout: 30_000 });
    const steps: Record<string, StepRun> = {};
    const events = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; session: string; step?: string; artifacts?: Record<string, string> });
    for (const event of events) {
      if (event.type !== 'step.finished' || event.artifacts?.['facts'] === undefined || event.artifacts['body'] === undefined) continue;
      const read = (name: string): string => readFileSync(join(state, 'sessions', event.session, event.artifacts![name]!), 'utf8');
      steps[event.step!] = { facts: JSON.parse(read('facts')) as Facts, answer: JSON.parse(read('body')) as StepRun['answer'] };
      if (process.env['RUNBOOK_SAVE_PROMETHEUS'] && vars['job'] !== undefined) writeFileSync(join(process.env['RUNBOOK_SAVE_PROMETHEUS'], `${vars['job']}.json`), read('body'));
    }
    return { steps, stdout: result.stdout, exitCode: result.exitCode };
  }

  async function rss(job: string): Promise<Facts> {
    const { steps, stdout, exitCode } = await run('rss-window.yaml', { prometheus: prometheus!.url, job });
    expect(exitCode, stdout).toBe(0);
    return steps['rss']?.facts ?? {};
  }

  for (const job of ['leak-slow', 'leak-fast']) {
    it(`${job}: steady growth at about the leak's rate`, async () => {
      const facts = await rss(job);
      expect(facts['series_count']).toBe(1);
      expect(facts['trend'], String(facts['trend_meaning'])).toBe('steady_growth');
      expect(facts['resets']).toBe(0);
      const mibPerHour = Number(facts['slope_per_hour']) / 1048576;
      const expected = rates[job]! * C_HEAP_MIB_PER_S * 3600;
      // RSS gains the leak plus the allocator's own pages; scrapes a second apart on a loaded
      // machine can stretch the leak's ticks: a wide band around the rate, still far from flat.
      expect(mibPerHour).toBeGreaterThan(expected * 0.5);
      expect(mibPerHour).toBeLessThan(expected * 1.5);
      expect((facts['labels'] as Record<string, string>)['job']).toBe(job);
    });
  }

  it('healthy: flat, RSS within the noise floor', async () => {
    const facts = await rss('healthy');
    expect(facts['trend'], String(facts['trend_meaning'])).toBe('flat');
    expect(Math.abs(Number(facts['slope_per_hour'])) / 1048576).toBeLessThan(rates['leak-slow']! * C_HEAP_MIB_PER_S * 3600 * 0.25);
  });

  it('a hostile value is one string literal to a real PromQL parser', async () => {
    const { steps, stdout, exitCode } = await run('hostile.yaml', { prometheus: prometheus!.url, ...Object.fromEntries(HOSTILE.map((value, i) => [`v${i}`, value])) });
    expect(exitCode, stdout).toBe(0);
    HOSTILE.forEach((value, i) => {
      const step = steps[`echo${i}`];
      expect(step?.facts['series_count'], value).toBe(1);
      expect(step?.facts['last'], value).toBe(1);
      expect(step?.answer.data?.result?.map((series) => series.metric['echo']), value).toEqual([value]);
    });
  });

  it('a bearer token is sent but written nowhere; an answer over max_bytes fails with what to change', async () => {
    const token = 'tok-5e1f9c2d7a8b4e6f';
    const { steps, stdout, exitCode } = await run('limits.yaml', { prometheus: prometheus!.url, token });
    expect(exitCode).toBe(1);
    expect(steps['authed']?.facts['series_count']).toBe(3);
    expect(stdout).toContain('the answer is larger than max_bytes (300 bytes): narrow the query');
    const grep = (text: string) => spawnSync('grep', ['-r', '-l', '-F', text, join(dir, 'state')], { encoding: 'utf8' }).stdout;
    expect(grep(token)).toBe('');
    // The journal records where the credential went, masked.
    expect(grep("'Authorization: Bearer [REDACTED")).toMatch(/limits-.*journal\.jsonl/);
    expect(stdout).not.toContain(token);
  });

  it("Prometheus's own error is the reason a query fails", async () => {
    const { stdout, exitCode } = await run('bad-query.yaml', { prometheus: prometheus!.url });
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/answered HTTP 400: Prometheus answered bad_data: .*expected type range vector/);
  });

  it('no Prometheus: the step is skipped with the reason, the runbook goes on', async () => {
    const result = await runCli(['run', join(dir, 'rss-window.yaml'), '--non-interactive', '--var', 'job=x'], {
      env: { RUNBOOK_STATE_DIR: join(dir, 'state'), RUNBOOK_CONFIG_DIR: join(dir, 'config'), CI: 'true' },
      timeout: 30_000,
    });
    expect(result.stdout + result.stderr).toContain('no Prometheus to ask');
  });
});
