import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../engine/helpers.js';
import { journalRecords, journalText, processesMatching, sessionIds, startTool, toolDirs, waitFor, type ToolDirs } from './tool.js';

let dirs: ToolDirs;
beforeEach(() => {
  dirs = toolDirs();
});
afterEach(() => dirs.remove());

const run = (args: string[]) => runCli(args, { env: dirs.env });

describe('runbook run: mistakes get a message and exit 2, never a stack trace', () => {
  it.each([
    [['run', 'go-memory', '--bundle', 'examples', '--non-interactive'], 'bundle', 'meta.json is missing'],
    [['run', 'go-memory', '--bundle', 'examples/healthy', '--answer', 'nope=1', '--non-interactive'], '--answer', "has no step 'nope'"],
    [['run', 'go-memory', '--bundle', 'examples/healthy', '--non-interactive', '--notes', '/etc/passwd/notes.md'], 'notes', '--notes /etc/passwd/notes.md: /etc/passwd is not a directory'],
    [['capture', '--pid', 'abc', '--out', '/tmp/never'], 'capture', '--pid must be a process id'],
    [['capture', '--pid', String(process.pid), '--out', '/proc/nope'], 'capture', 'is not a directory bundles can be written in'],
  ])('%j', async (args, _what, message) => {
    const result = await run(args);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.exitCode).toBe(2);
  });
});

describe('runbook run: exit codes and output', () => {
  it('exits 0 on a conclusion and prints one line per event on stderr', async () => {
    const result = await run(['run', fixture('branching.yaml'), '--var', 'p99=27.5']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("$ printf 'p99_ms=%s\\nsamples=3\\n' 27.5");
    expect(result.stderr).toContain('→ slow: measure.p99_ms = 27.5; 27.5 > 10 is true → slow');
    expect(result.stderr).toContain('■ conclusion [high] slow: p99 is 27.5 ms, above 10 ms');
    expect(result.stderr).not.toMatch(/\x1b\[/);
  });

  it('streams one JSON object per event on stdout with --json, the last carrying the conclusion', async () => {
    const result = await run(['run', fixture('branching.yaml'), '--json']);
    expect(result.exitCode).toBe(0);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((e) => e.type)).toEqual([
      'session.started',
      'step.started',
      'step.finished',
      'step.started',
      'step.finished',
      'step.started',
      'step.finished',
      'session.concluded',
      'session.ended',
    ]);
    const id = events[0]!.session_id;
    expect(events.every((e) => e.session === id && e.v === 1 && typeof e.seq === 'number')).toBe(true);
    expect(events.at(-1)).toMatchObject({ status: 'concluded', exit_code: 0, conclusion: { finding: 'fast', severity: 'info', text: 'p99 is 5 ms over 3 lines' } });
  });

  it('exits 2 for an unknown input before any session starts, and 1 when a step fails with no branch for it', async () => {
    const result = await run(['run', fixture('sleepy.yaml'), '--var', 'x=1']);
    expect(result.exitCode).toBe(2); // unknown input: a usage error, before any session starts
    expect(result.stderr).toContain("runbook sleepy has no input 'x'");
    expect(sessionIds(dirs.state)).toEqual([]);
    const failed = await run(['run', fixture('missing-fact.yaml')]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/p95_ms/);
  });

  it('exits 2 for an unknown runbook and for a question nobody answered, naming the --answer', async () => {
    const unknown = await run(['run', 'no-such-runbook']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const unanswered = await run(['run', fixture('ask.yaml'), '--non-interactive']);
    expect(unanswered.exitCode).toBe(2);
    expect(unanswered.stderr).toContain('hint: pass --answer restart=<yes|no>');
    const answered = await run(['run', fixture('ask.yaml'), '--answer', 'restart=yes']);
    expect(answered.exitCode).toBe(0);
    expect(answered.stderr).toContain('restarted');
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`exits 130 on ${signal}, killing the running step and journaling the cancellation`, async () => {
      const tool = startTool(['run', fixture('sleepy.yaml')], dirs.env);
      await waitFor(() => processesMatching('sleep 3173').length > 0, 20_000, 'the step to start');
      tool.child.kill(signal);
      const { code } = await tool.exit;
      expect(code).toBe(130);
      await waitFor(() => processesMatching('sleep 3173').length === 0, 5_000, 'the step process to go');
      const [id] = sessionIds(dirs.state);
      const records = journalRecords(dirs.state, id!);
      expect(records.find((r) => r.type === 'step.finished')).toMatchObject({ step: 'nap', status: 'cancelled' });
      expect(records.at(-1)).toMatchObject({ type: 'session.ended', status: 'cancelled', exit_code: 130 });
    });
  }
});

describe('injection', () => {
  const payloads = ['$(touch MARK)', '; touch MARK; echo', '`touch MARK`', 'a\nb; touch MARK\n', `'"\\ * ? {a,b} $HOME && touch MARK`];

  for (const template of payloads) {
    it(`passes ${JSON.stringify(template)} byte for byte and never runs it`, async () => {
      const mark = join(dirs.state, '..', 'MARK-executed');
      const payload = template.replaceAll('MARK', mark);
      const result = await run(['run', fixture('injection.yaml'), '--var', `payload=${payload}`, '--json']);
      expect(result.exitCode).toBe(0);
      const [id] = sessionIds(dirs.state);
      const sessionDir = join(dirs.state, 'sessions', id!);
      for (const step of ['argv_form', 'shell_form']) {
        const finished = journalRecords(dirs.state, id!).find((r) => r.type === 'step.finished' && r.step === step);
        const stdout = readFileSync(join(sessionDir, (finished as { artifacts: Record<string, string> }).artifacts.stdout!));
        expect(stdout.equals(Buffer.from(payload, 'utf8'))).toBe(true);
      }
      expect(existsSync(mark)).toBe(false);
    });
  }

  it('refuses a value that would turn into an option', async () => {
    const result = await run(['run', fixture('injection.yaml'), '--var', 'payload=-rf']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/starts with '-'/);
  });
});

describe('processes', () => {
  it('leaves nothing behind when a pipeline times out, and finishes within grace + 1 s', async () => {
    const started = Date.now();
    const result = await run(['run', fixture('timeout.yaml')]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/hang timeout in \d+ ms: timed out after 1000 ms/);
    const duration = Number(/hang timeout in (\d+) ms/.exec(result.stderr)![1]);
    expect(duration).toBeLessThan(1000 + 2000 + 1000);
    expect(processesMatching('sleep 3171')).toEqual([]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('kill -9 and resume', () => {
  it('resumes after kill -9 with every earlier record intact; the interrupted step runs again only once confirmed', async () => {
    const tool = startTool(['run', fixture('resume.yaml'), '--non-interactive'], dirs.env);
    await waitFor(() => processesMatching('sleep 3172').length > 0, 20_000, 'the hanging step');
    const [id] = sessionIds(dirs.state);
    await waitFor(() => journalText(dirs.state, id!).includes('"step":"hang_once"'), 5_000, 'step.started in the journal');
    tool.child.kill('SIGKILL');
    await tool.exit;
    // The watchdog ends the orphaned step group once the tool's pipe closes.
    await waitFor(() => processesMatching('sleep 3172').length === 0, 10_000, 'the watchdog to end the step');
    const beforeResume = journalText(dirs.state, id!);
    expect(beforeResume.endsWith('\n')).toBe(true);

    const listed = await run(['sessions', '--json']);
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({ id, runbook: 'resume-me', status: 'interrupted' });

    const refused = await run(['resume', id!, '--non-interactive']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('hint: pass --yes');
    expect(refused.stderr).toContain(`session ${id} resumed; interrupted: hang_once`);

    const resumed = await run(['resume', id!.slice(0, -2), '--yes', '--non-interactive', '--json']);
    expect(resumed.stderr).toContain('doubled 84');
    expect(resumed.stderr).toContain(`session ${id} resumed\n`);
    const events = resumed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; session: unknown });
    expect(events.find((event) => event.type === 'session.resumed')).toMatchObject({ session: id });
    expect(events.filter((event) => event.session !== id)).toEqual([]);
    expect(resumed.exitCode).toBe(0);

    const after = journalText(dirs.state, id!);
    expect(after.startsWith(beforeResume)).toBe(true);
    const records = journalRecords(dirs.state, id!);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    const hang = records.filter((r) => 'step' in r && r.step === 'hang_once' && r.type.startsWith('step.'));
    expect(hang.map((r) => [r.type, (r as { attempt: number }).attempt, (r as { status?: string }).status])).toEqual([
      ['step.started', 1, undefined],
      ['step.finished', 1, 'interrupted'],
      ['step.started', 2, undefined],
      ['step.finished', 2, 'passed'],
    ]);
    expect(records.filter((r) => r.type === 'step.finished' && r.step === 'first')).toHaveLength(1);
    expect(records.filter((r) => r.type === 'session.resumed')).toHaveLength(2);
    expect(records.at(-1)).toMatchObject({ type: 'session.ended', status: 'concluded' });
    const sessions = JSON.parse((await run(['sessions', '--json'])).stdout);
    expect(sessions[0]).toMatchObject({ id, status: 'concluded', conclusion: { finding: 'resumed' } });
  });
});
