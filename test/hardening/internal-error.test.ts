// A bug is an internal error: exit 70, one line saying so and where the details are, the
// stack in a file under the session dir (never on screen), and the session resumable
// (issue 17, item 5). Bugs are injected with a node:fs preload (fixtures/faults/inject.mjs).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { hasTmux, openTerminal, type TerminalRun } from '../e2e/tmux.js';
import { readJournal } from '../../src/journal/reader.js';

const inject = fileURLToPath(new URL('../fixtures/faults/inject.mjs', import.meta.url));
const runbookFile = fileURLToPath(new URL('../fixtures/runbooks-hardening/read-file.yaml', import.meta.url));

let dir: string;
let evidence: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runbook-internal-'));
  evidence = join(dir, 'evidence.txt');
  writeFileSync(evidence, 'answer=42\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function faultEnv(pattern: string): Record<string, string> {
  return { RUNBOOK_STATE_DIR: join(dir, 'state'), NODE_OPTIONS: `--import=${inject}`, RUNBOOK_FAULT_BUG_OPEN: pattern };
}

function onlySession(): string {
  const [id] = readdirSync(join(dir, 'state', 'sessions'));
  return id!;
}

/** The screen text of a bug: the one line, the resume hint, and no stack frame. */
function expectBugReport(stderr: string, sessionDir: string | undefined): void {
  const lines = stderr.split('\n').filter((line) => line.startsWith('runbook: internal error'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^runbook: internal error \(a bug in runbook, not in your input\): .*injected bug.*; details in /);
  expect(stderr).not.toMatch(/^\s+at /m);
  const file = /details in (\S+)/.exec(lines[0]!)![1]!;
  if (sessionDir !== undefined) expect(file.startsWith(sessionDir)).toBe(true);
  const details = readFileSync(file, 'utf8');
  expect(details).toContain('TypeError: injected bug');
  expect(details).toMatch(/^\s+at /m);
  // Which --var is a secret is not known at that point: no value is written.
  expect(details).not.toMatch(/--var[ =]\w+=(?!\[REDACTED:var\])/);
}

describe('internal errors', () => {
  it('plain runner: exit 70, one line, stack in the session dir, then the session resumes to its conclusion', async () => {
    const run = await runCli(['run', runbookFile, '--var', `file=${evidence}`, '--non-interactive'], { env: faultEnv('evidence\\.txt$') });
    expect(run.exitCode).toBe(70);
    const id = onlySession();
    const sessionDir = join(dir, 'state', 'sessions', id);
    expectBugReport(run.stderr, sessionDir);
    expect(readFileSync(/details in (\S+)/.exec(run.stderr)![1]!, 'utf8')).toMatch(/^command: run \S+ --var file=\[REDACTED:var\] --non-interactive$/m);
    expect(run.stderr).toContain(`resume it with: runbook resume ${id}`);
    const { records } = await readJournal(join(sessionDir, 'journal.jsonl'));
    expect(records.find((r) => r.type === 'step.finished' && r.step === 'content')).toMatchObject({ status: 'interrupted' });
    expect(records.at(-1)).toMatchObject({ type: 'session.ended', status: 'interrupted', exit_code: 70 });
    expect(existsSync(join(sessionDir, 'session.lock'))).toBe(false);

    const resumed = await runCli(['resume', id, '--yes', '--non-interactive'], { env: { RUNBOOK_STATE_DIR: join(dir, 'state') } });
    expect(resumed.stderr).toContain('answer is 42');
    expect(resumed.exitCode).toBe(0);
  });

  it('any other command: exit 70, one line, the stack under the state dir', async () => {
    mkdirSync(join(dir, 'state', 'sessions'), { recursive: true });
    const result = await runCli(['sessions'], { env: faultEnv('state/sessions$') });
    expect(result.exitCode).toBe(70);
    expectBugReport(result.stderr, join(dir, 'state', 'internal-errors'));
  });

  it.skipIf(!hasTmux() && process.env.CI !== 'true')('TUI: exit 70 (not 2), one line, stack in the session dir', async () => {
    let term: TerminalRun | undefined;
    try {
      term = openTerminal(['run', runbookFile, '--var', `file=${evidence}`], faultEnv('evidence\\.txt$'));
      await term.waitFor('Enter runs this step');
      term.keys('Enter'); // first
      await term.waitFor('○ content read');
      term.keys('Enter'); // content: the injected bug
      const screen = await term.waitFor(/EXIT:\d+/);
      expect(term.exitCode(), screen).toBe(70);
      const id = onlySession();
      expectBugReport(screen.replace(/\n(?!runbook:|  session|EXIT|session)/g, ''), join(dir, 'state', 'sessions', id));
    } finally {
      term?.kill();
    }
  }, 60_000);
});
