// Golden outputs of every parser and diff on every fixture (issue 19: speed work must leave
// every output byte-identical). Shared by generate.mjs (run against a build, writes
// expected.json) and golden.test.ts (runs the sources and the CLI against it).
// Outputs are stored as SHA-256 of their JSON (bigints tagged), so the file stays small.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesRoot = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Folders of parser inputs (runbooks, notes and targets are not parser inputs). */
const INPUT_DIRS = ['gctrace', 'proc', 'pprof', 'httppprof', 'runbooks-engine/bundle-leaky/snapshots'];

function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** Every fixture file a parser could be handed, relative to test/fixtures. */
export function inputFiles() {
  return INPUT_DIRS.flatMap((dir) => filesUnder(join(fixturesRoot, dir))).map((path) => relative(fixturesRoot, path));
}

/**
 * Before/after pairs for the diffs: files of the same name in sibling before/after folders,
 * and neighbouring files of each folder (so every differ also meets mismatched inputs).
 */
export function diffPairs() {
  const files = inputFiles();
  const pairs = [];
  const sideSwaps = [
    ['/leaky_before/', '/leaky_after/'],
    ['/before/', '/after/'],
    ['/snapshots/0/', '/snapshots/1/'],
  ];
  for (const file of files) {
    for (const [from, to] of sideSwaps) {
      const other = file.replace(from, to);
      if (other !== file && files.includes(other)) pairs.push([file, other]);
    }
  }
  for (let i = 1; i < files.length; i++) {
    const dirOf = (f) => f.slice(0, f.lastIndexOf('/'));
    if (dirOf(files[i - 1]) === dirOf(files[i])) pairs.push([files[i - 1], files[i]]);
  }
  return pairs;
}

/** JSON of a result, bigints tagged so they survive (memstats' last_gc_delta_ns). */
export function resultJson(result) {
  return JSON.stringify(result, (_key, value) => (typeof value === 'bigint' ? `bigint:${value}` : value));
}

/**
 * `runbook parse` and `runbook diff` as a user runs them, on the inputs of the parsers that
 * read their file in chunks (the CLI path differs from parse(bytes) there): argv lists.
 */
export function cliCases() {
  const files = inputFiles();
  const cases = [];
  const base = (f) => f.slice(f.lastIndexOf('/') + 1);
  const isMaps = (f) => f.startsWith('proc/') && base(f).includes('maps') && !base(f).includes('smaps') && !f.endsWith('.json');
  const kinds = [
    ['gctrace', (f) => f.startsWith('gctrace/'), true],
    ['proc-maps', isMaps, true],
    ['proc-status', (f) => base(f) === 'status' || base(f) === 'proc_status.txt', false],
    ['smaps-rollup', (f) => /smaps_rollup(\.txt)?$/.test(f), false],
  ];
  for (const [parser, wanted, json] of kinds) {
    for (const file of files.filter(wanted)) {
      cases.push(['parse', parser, file]);
      if (json) cases.push(['parse', parser, file, '--json']);
    }
  }
  for (const [before, after] of diffPairs().filter(([b, a]) => isMaps(b) && isMaps(a))) {
    cases.push(['diff', 'maps', before, after]);
    cases.push(['diff', 'maps', before, after, '--json']);
  }
  return cases;
}

export function digest(result) {
  return createHash('sha256').update(resultJson(result)).digest('hex');
}

/** The CLI's environment for these runs: no colour, a fixed width, nothing from the caller. */
export function cliEnv() {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1', COLUMNS: '100', LANG: 'C.UTF-8' };
}

export function cliDigest(exitCode, stdout, stderr) {
  return createHash('sha256').update(`${exitCode}\0${stdout}\0${stderr}`).digest('hex');
}
