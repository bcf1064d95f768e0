// Hostile files are refused, not obeyed: nothing here may hang, exhaust memory, throw,
// or build a Runbook.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunbook, loadRunbookFile } from '../../src/runbook/load.js';
import { formatProblem } from '../../src/runbook/problem.js';
import { MAX_NESTING_DEPTH, MAX_RUNBOOK_BYTES, MAX_YAML_TOKENS } from '../../src/runbook/safe-yaml.js';
import { UserError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'runbook-hostile-'));
function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The "billion laughs": nine levels of nine aliases, 9^9 strings if expanded. */
function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < 9; level++) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  return `id: bomb\ntitle: t\nsummary: s\n${lines.join('\n')}\nsteps:\n  - id: x\n    note: { prompt: "*i" }\n`;
}

describe('hostile runbook files', () => {
  it('refuses an alias bomb without expanding it', async () => {
    const result = await loadRunbookFile(write('bomb.yaml', aliasBomb()));
    expect(result.runbook).toBeUndefined();
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.every((problem) => /YAML (alias|anchor) '[*&][a-i]' refused/.test(problem.message))).toBe(true);
  });

  it('refuses a 2 MiB file unread', async () => {
    const file = write('huge.yaml', `id: huge\n# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const result = await loadRunbookFile(file);
    expect(result.problems.map(formatProblem)).toEqual([
      `${file}:1:1: file is ${2 * 1024 * 1024 + 12} bytes; runbooks are limited to ${MAX_RUNBOOK_BYTES} bytes (1 MiB), so it is refused unread`,
    ]);
  });

  it('refuses 10,000-deep flow nesting', async () => {
    const file = write('deep-flow.yaml', `id: deep\nsteps: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    const result = await loadRunbookFile(file);
    expect(result.problems.map(formatProblem)).toEqual([
      `${file}:2:${8 + MAX_NESTING_DEPTH - 1}: nesting deeper than ${MAX_NESTING_DEPTH} levels; a runbook never needs this, so the file is refused`,
    ]);
  });

  // Found while building: this shape aborted Node ("RegExpCompiler Allocation failed")
  // inside the YAML composer, so depth is measured before composing.
  it('refuses 10,000-deep block nesting', async () => {
    const file = write('deep-block.yaml', `${'- '.repeat(10_000)}x\n`);
    const result = await loadRunbookFile(file);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.message).toMatch(/^nesting deeper than 64 levels/);
  });

  // Measured: 26 s to parse whole before the token cap; refused in about 0.5 s now.
  it('refuses a file of 500,000 list items at the token cap', async () => {
    const file = write('long-list.yaml', `x: [${'1,'.repeat(500_000)}]\n`);
    const result = await loadRunbookFile(file);
    expect(result.problems.map((problem) => problem.message)).toEqual([
      `more than ${MAX_YAML_TOKENS} YAML tokens; a runbook is far smaller (a 7-step one is about 450), so the file is refused`,
    ]);
  });

  it('accepts nesting up to the cap', async () => {
    const file = write('deep-ok.yaml', `x: ${'['.repeat(MAX_NESTING_DEPTH - 1)}${']'.repeat(MAX_NESTING_DEPTH - 1)}\n`);
    const result = await loadRunbookFile(file);
    expect(result.problems.map((problem) => problem.message)).not.toContainEqual(expect.stringMatching(/nesting/));
  });

  it('reports binary garbage as problems, never an exception', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const file = join(dir, 'garbage.yaml');
    writeFileSync(file, bytes);
    const result = await loadRunbookFile(file);
    expect(result.runbook).toBeUndefined();
    expect(result.problems.length).toBeGreaterThan(0);
  });

  it('does not wait on a FIFO', async () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    expect((await loadRunbookFile(fifo)).problems[0]?.message).toBe('not a regular file');
  });

  it('reports a missing file and a directory as problems', async () => {
    expect((await loadRunbookFile(join(dir, 'nope.yaml'))).problems[0]?.message).toBe('cannot read runbook: no such file');
    expect((await loadRunbookFile(dir)).problems[0]?.message).toBe('not a regular file');
  });

  it('loadRunbook throws a UserError that lists every problem', async () => {
    const file = 'test/fixtures/runbooks/broken/goto-missing.yaml';
    const error = await loadRunbook(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `${file} is not a valid runbook:\n${file}:7:15: goto 'fnish' names no step — did you mean 'finish'?`,
    );
  });
});
