// The shipped runbooks replayed against the example bundles (captured from the Go test
// service): `runbook test` passes on the shipped cases, fails with a diff on a wrong one,
// and refuses a malformed case file with FILE:LINE:COL problems. Also what replay and
// headless runs record: a skipped wait with the bundle's real gap, the real interval in
// the conclusion, an unreviewed checklist, and a question with no answer stopping the run.
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'runbook-cases-'));
const env = (): Record<string, string> => ({ RUNBOOK_STATE_DIR: scratch(), CI: 'true' });

interface JsonEvent {
  type: string;
  step?: string;
  status?: string;
  reason?: string;
  text?: string;
  finding?: string;
  checklist?: Array<{ item: string; checked: boolean }>;
}

function events(stdout: string): JsonEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as JsonEvent);
}

const finished = (all: JsonEvent[], step: string): JsonEvent | undefined => all.find((e) => e.type === 'step.finished' && e.step === step);

describe('runbook test', () => {
  it('passes every shipped case (one ✔ line each, exit 0)', async () => {
    const cases = readdirSync(join(repoRoot, 'runbooks/tests')).filter((name) => name.endsWith('.yaml'));
    const result = await runCli(['test', 'runbooks/tests'], { env: env() });
    expect(result.stdout.split('\n').filter((line) => line.startsWith('✔'))).toHaveLength(cases.length);
    expect(result.stdout).not.toContain('✘');
    expect(result.stderr).toContain(`runbook test: ${cases.length} passed of ${cases.length} cases`);
    expect(result.exitCode).toBe(0);
  }, 120_000);

  it('judges pauses from the MemStats ring when there is no gctrace log', async () => {
    const dir = scratch();
    for (const name of ['gc-stw-pauses', 'healthy']) {
      cpSync(join(repoRoot, 'examples', name), join(dir, name), { recursive: true });
      rmSync(join(dir, name, 'gctrace.log'));
    }
    writeFileSync(join(dir, 'stw.yaml'), 'runbook: go-gc-pauses\nbundle: gc-stw-pauses\nconclusion: gc-stw-spike\npath: [history_setup, history_pause_max, history_pause_p75, history_pause_mean, history, evidence, settings, from_ring, ring_rate, classify, gc-stw-spike-ring]\n');
    writeFileSync(join(dir, 'healthy.yaml'), 'runbook: go-gc-pauses\nbundle: healthy\nconclusion: gc-pauses-normal\npath: [history_setup, history_pause_max, history_pause_p75, history_pause_mean, history, evidence, settings, from_ring, ring_rate, classify, gc-pauses-normal-ring]\n');
    const result = await runCli(['test', dir], { env: env() });
    expect(result.stdout).not.toContain('✘');
    expect(result.stderr).toContain('runbook test: 2 passed of 2 cases');
    expect(result.exitCode).toBe(0);
  });

  it('fails a wrong case with the difference in conclusion and path (exit 1)', async () => {
    const dir = scratch();
    // The healthy bundle is flat: this case claims a Go heap leak. The bundle path is
    // relative to the current directory (the repo), as a case may give it.
    writeFileSync(
      join(dir, 'wrong.yaml'),
      'runbook: go-memory\nbundle: examples/healthy\nconclusion: go-heap-growth\npath: [history_setup, history_rss, history_heap, history_goroutines, history_starts, history, before, wait, after, evidence, gc_pressure, attribute, go_heap, go-heap-growth]\n',
    );
    const result = await runCli(['test', dir], { env: env() });
    expect(result.stdout).toContain(`✘ ${join(dir, 'wrong.yaml')}: go-memory on healthy`);
    expect(result.stdout).toContain('conclusion: expected go-heap-growth, got no-growth');
    expect(result.stdout).toContain('path differs at step 13: expected go_heap, got no-growth');
    expect(result.stderr).toContain('0 passed, 1 failed of 1 case');
    expect(result.exitCode).toBe(1);
  });

  it('refuses a malformed case file with FILE:LINE:COL problems (exit 2)', async () => {
    const dir = scratch();
    const file = join(dir, 'typos.yaml');
    writeFileSync(file, 'runbook: go-memory\nbundle: examples/healthy\nconclusoin: no-growth\nanswers:\n  arena_test: stopped\npath: [before, wiat]\n');
    const result = await runCli(['test', file], { env: env() });
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      `${file}:3:1: unknown key 'conclusoin' in a test case (keys: runbook, bundle, vars, answers, conclusion, path, description) — did you mean 'conclusion'?`,
      `${file}:1:1: missing 'conclusion'`,
      `${file}:5:3: 'arena_test' is not an ask, checklist or note step of go-memory`,
      `${file}:6:16: 'wiat' is not a step of go-memory — did you mean 'wait'?`,
    ]);
    expect(result.exitCode).toBe(2);
  });
});

describe('replaying a bundle headless', () => {
  it('skips the wait with the bundle’s real gap and reports that gap in the conclusion', async () => {
    const result = await runCli(['run', 'go-memory', '--bundle', 'examples/healthy', '--non-interactive', '--json'], { env: env() });
    const all = events(result.stdout);
    expect(finished(all, 'wait')).toMatchObject({ status: 'skipped', reason: 'replaying a bundle: its snapshots are already 15s apart' });
    expect(all.find((e) => e.type === 'session.concluded')?.text).toMatch(/^RssAnon changed by [+\u2212]?[\d.]+ MiB in 15 s, below/);
    expect(result.exitCode).toBe(0);
  });

  it('records a checklist nobody answered as unreviewed, and goes on', async () => {
    const result = await runCli(['run', 'cgo-leak', '--bundle', 'examples/c-heap-leak', '--non-interactive', '--json'], { env: env() });
    const checks = finished(events(result.stdout), 'asan');
    expect(checks).toMatchObject({ status: 'passed', reason: 'not reviewed: non-interactive run' });
    expect(checks?.checklist?.every((c) => !c.checked)).toBe(true);
    expect(result.exitCode).toBe(0);
  });

  it('stops at a question with no answer and no default, naming --answer', async () => {
    const dir = scratch();
    const runbook = join(dir, 'ask.yaml');
    writeFileSync(
      runbook,
      [
        'id: ask-once',
        'title: One question',
        'summary: A question without a default',
        'steps:',
        '  - id: q',
        '    title: Go on?',
        '    ask:',
        '      question: Go on?',
        '      choices:',
        '        - value: "yes"',
        '          label: Yes',
        '  - id: done',
        '    title: Done',
        '    conclude:',
        '      finding: done',
        '      severity: info',
        '      text: done',
        '',
      ].join('\n'),
    );
    const result = await runCli(['run', runbook, '--non-interactive'], { env: env() });
    expect(result.stderr).toContain('step q asks "Go on?" and no answer was given');
    expect(result.stderr).toContain('--answer q=<yes>');
    expect(result.exitCode).toBe(2);
  });
});
