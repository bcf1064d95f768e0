import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../engine/helpers.js';
import { journalRecords, sessionIds, toolDirs, type ToolDirs } from './tool.js';

let dirs: ToolDirs;
beforeEach(() => {
  dirs = toolDirs();
});
afterEach(() => dirs.remove());

const run = (args: string[]) => runCli(args, { env: dirs.env });

describe('runbook sessions', () => {
  it('lists sessions newest first with status and conclusion, as a table and as JSON', async () => {
    expect((await run(['sessions'])).stdout).toContain('no sessions in');
    expect((await run(['run', fixture('ask.yaml'), '--answer', 'restart=no'])).exitCode).toBe(0);
    expect((await run(['run', fixture('timeout-branch.yaml')])).exitCode).toBe(0);
    expect((await run(['run', fixture('missing-fact.yaml')])).exitCode).toBe(1);
    const listed = JSON.parse((await run(['sessions', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(listed.map((s) => s.runbook)).toEqual(['missing-fact', 'timeout-branch', 'ask-route']);
    expect(listed[0]).toMatchObject({ status: 'failed', target: 'local' });
    expect(listed[1]).toMatchObject({ status: 'concluded', conclusion: { finding: 'probe-failed', severity: 'low' } });
    expect(Object.keys(listed[2]!)).toEqual(expect.arrayContaining(['id', 'runbook', 'target', 'status', 'started', 'updated']));
    const table = (await run(['sessions'])).stdout.split('\n');
    expect(table[0]).toMatch(/^ID\s+RUNBOOK\s+TARGET\s+STATUS\s+STARTED \(UTC\)\s+UPDATED \(UTC\)\s+CONCLUSION$/);
    expect(table[2]).toContain('[low] probe-failed');
    expect(statSync(join(dirs.state, 'sessions')).mode & 0o777).toBe(0o700);
  });

  it('names close matches for an unknown session id', async () => {
    await run(['run', fixture('ask.yaml'), '--answer', 'restart=no']);
    const [id] = sessionIds(dirs.state);
    const result = await run(['resume', 'ask-route']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`did you mean ${id}?`);
  });
});

describe('runbook config', () => {
  it('sets, gets and lists settings, and refuses bad values', async () => {
    expect((await run(['config', 'get', 'defaultTimeout'])).stdout.trim()).toBe('5m');
    expect((await run(['config', 'set', 'defaultTimeout', '90s'])).exitCode).toBe(0);
    expect((await run(['config', 'get', 'defaultTimeout'])).stdout.trim()).toBe('90s');
    const bad = await run(['config', 'set', 'confirm', 'sometimes']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('confirm must be mutating or every-command');
    expect((await run(['config', 'set', 'colour', 'blue'])).stderr).toContain("unknown setting 'colour'");
    const list = (await run(['config', 'list'])).stdout;
    expect(list).toContain('defaultTimeout = "90s"');
    expect(list).toContain('confirm = "mutating" (default)');
    expect(JSON.parse(readFileSync(join(dirs.config, 'config.json'), 'utf8'))).toEqual({ defaultTimeout: '90s' });
  });

  it('applies the state dir setting when RUNBOOK_STATE_DIR is not set', async () => {
    const elsewhere = join(dirs.config, 'sessions-here');
    const env = { ...dirs.env, RUNBOOK_STATE_DIR: '' };
    expect((await runCli(['config', 'set', 'stateDir', elsewhere], { env })).exitCode).toBe(0);
    expect((await runCli(['run', fixture('ask.yaml'), '--answer', 'restart=no'], { env })).exitCode).toBe(0);
    expect(readdirSync(join(elsewhere, 'sessions'))).toHaveLength(1);
  });
});

describe('secret inputs', () => {
  it('never writes the secret to the journal or the artifacts', async () => {
    const secret = 'hunter2-s3cr3t-value';
    const result = await run(['run', fixture('secret.yaml'), '--var', `token=${secret}`, '--json']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
    const [id] = sessionIds(dirs.state);
    const sessionDir = join(dirs.state, 'sessions', id!);
    const files = [join(sessionDir, 'journal.jsonl'), ...readdirSync(join(sessionDir, 'artifacts')).map((f) => join(sessionDir, 'artifacts', f))];
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain(secret);
    const journal = readFileSync(files[0]!, 'utf8');
    expect(journal).toContain('"secret_inputs":["token"]');
    expect(journal).toContain('"redaction"');
  });

  it('keeps the journal readable when a short secret is part of its own words, and refuses a secret too short to mask', async () => {
    // "pass" is inside "passed" and "e" inside nearly every word: the journal's structure
    // must survive the first; the second would mask every "e" of the output, so it is refused.
    const tooShort = await run(['run', fixture('secret.yaml'), '--var', 'token=e']);
    expect(tooShort.exitCode).toBe(2);
    expect(tooShort.stderr).toContain('input token: a secret of 1 character(s) is too short to mask');
    for (let i = 0; i < 2; i++) expect((await run(['run', fixture('secret.yaml'), '--var', 'token=pass'])).exitCode).toBe(0);
    for (const id of sessionIds(dirs.state)) {
      const records = journalRecords(dirs.state, id);
      const finished = records.filter((r) => r.type === 'step.finished');
      expect(finished.map((r) => [r.step, r.status])).toEqual([['use_token', 'passed'], ['done', 'passed']]);
      expect(finished[0]).toHaveProperty('exit_code', 0);
      expect(records.find((r) => r.type === 'session.ended')).toMatchObject({ status: 'concluded' });
    }
    const listed = JSON.parse((await run(['sessions', '--json'])).stdout) as Array<{ status: string }>;
    expect(listed.map((s) => s.status)).toEqual(['concluded', 'concluded']);
  });
});
