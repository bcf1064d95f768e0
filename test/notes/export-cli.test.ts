// `runbook export` and `runbook graph` through the real binary, on a session the real
// engine ran: the notes agree with the journal, and the export is recorded in it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../engine/helpers.js';
import { journalRecords, sessionIds, toolDirs, type ToolDirs } from '../runner/tool.js';

let dirs: ToolDirs;
beforeEach(() => {
  dirs = toolDirs();
});
afterEach(() => dirs.remove());

const run = (args: string[]) => runCli(args, { env: dirs.env });

describe('runbook export', () => {
  it('prints markdown notes with the conclusion first, and JSON with --format json', async () => {
    expect((await run(['run', fixture('branching.yaml'), '--var', 'p99=27.5'])).exitCode).toBe(0);
    const [id] = sessionIds(dirs.state);
    const md = await run(['export', id!.slice(0, 18)]);
    expect(md.exitCode).toBe(0);
    expect(md.stdout).toMatch(/^# Incident notes: /);
    expect(md.stdout.indexOf('## Conclusion')).toBeLessThan(md.stdout.indexOf('## Timeline'));
    expect(md.stdout).toContain('**Finding:** slow');
    expect(md.stdout).toContain("printf 'p99_ms=%s\\nsamples=3\\n' 27.5");
    expect(md.stdout).toContain('flowchart TD');
    expect(marked.lexer(md.stdout).some((token) => token.type === 'table')).toBe(true);

    const json = await run(['export', id!, '--format', 'json']);
    expect(json.exitCode).toBe(0);
    const notes = JSON.parse(json.stdout) as { notes_version: number };
    expect(notes.notes_version).toBe(1);
  });

  it('writes --out with mode 0600, even over an existing file, and records the export in the journal', async () => {
    expect((await run(['run', fixture('branching.yaml')])).exitCode).toBe(0);
    const [id] = sessionIds(dirs.state);
    const out = join(dirs.state, 'notes.md');
    writeFileSync(out, 'an older export, world-readable\n', { mode: 0o644 });
    const result = await run(['export', id!, '--out', out]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`notes written to ${out}`);
    expect(readFileSync(out, 'utf8')).toContain('**Finding:** fast');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const exported = journalRecords(dirs.state, id!).filter((record) => record.type === 'session.exported');
    expect(exported).toEqual([expect.objectContaining({ format: 'md', path: out })]);
  });

  it('names the sessions it knows when the id matches none, without a stack trace', async () => {
    const result = await run(['export', 'no-such-session']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("no session 'no-such-session'");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('runbook run --notes FILE', () => {
  it('writes the notes when the session concludes, and when a step fails with no branch for it', async () => {
    mkdirSync(dirs.state, { recursive: true }); // --notes must name an existing directory
    const concluded = join(dirs.state, 'concluded.md');
    expect((await run(['run', fixture('branching.yaml'), '--var', 'p99=27.5', '--notes', concluded])).exitCode).toBe(0);
    expect(readFileSync(concluded, 'utf8')).toContain('**Finding:** slow');

    const failed = join(dirs.state, 'failed.json');
    const result = await run(['run', fixture('missing-fact.yaml'), '--notes', failed]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`notes written to ${failed}`);
    const notes = JSON.parse(readFileSync(failed, 'utf8')) as { notes_version: number };
    expect(notes.notes_version).toBe(1);
    expect(readFileSync(failed, 'utf8')).toContain('failed');
  });
});

describe('runbook graph', () => {
  it('prints the flowchart of a shipped runbook with every step and branch', async () => {
    const result = await run(['graph', 'go-memory']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^flowchart TD/);
    for (const step of ['before', 'attribute', 'go-heap-growth', 'c-heap-growth', 'goroutine-leak', 'no-growth']) {
      expect(result.stdout).toContain(step.replace(/-/g, '_'));
    }
  });
});
