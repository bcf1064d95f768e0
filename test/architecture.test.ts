// The layering rule of docs/architecture.md: the headless engine and everything it uses
// import no React or Ink, no front end, and never print. Only src/cli, src/runner and
// src/tui talk to the terminal.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

const ENGINE_SIDE = ['engine', 'journal', 'exec', 'expr', 'template', 'parsers', 'diffs', 'collectors', 'redact', 'notes', 'runbook', 'targets', 'facts', 'util', 'config'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('architecture', () => {
  const files = ENGINE_SIDE.flatMap((dir) => sourceFiles(join(repoRoot, 'src', dir)));

  it('finds the engine-side sources', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('engine-side code imports no React, Ink or front end', () => {
    const offenders = files.filter((file) => /from '(ink|react)[^']*'|from '\.\.\/(tui|runner|cli)\//.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => relative(repoRoot, file))).toEqual([]);
  });

  it('engine-side code never prints', () => {
    const offenders = files.filter((file) => /\bconsole\.|(?<![\w.])process\.(stdout|stderr)\b/.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => relative(repoRoot, file))).toEqual([]);
  });
});
