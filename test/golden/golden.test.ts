// Every parser and diff gives byte-identical output to the reference build on every fixture
// (issue 19: the speed work must not change a single fact). The reference is
// expected.json, written by generate.mjs from the build before the change; regenerate it
// only for a deliberate change of output, and say so in the commit.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDiffer, differKinds } from '../../src/diffs/registry.js';
import { getParser, parserNames } from '../../src/parsers/registry.js';
import { binPath } from '../helpers/cli.js';
import { cliCases, cliDigest, cliEnv, diffPairs, digest, fixturesRoot, inputFiles } from './cases.mjs';

interface Expected {
  parses: Record<string, string>;
  diffs: Record<string, string>;
  cli: Record<string, string>;
}

const expected = JSON.parse(readFileSync(new URL('expected.json', import.meta.url), 'utf8')) as Expected;
const read = (file: string): Buffer => readFileSync(join(fixturesRoot, file));

describe('golden outputs: every parser on every fixture', () => {
  for (const name of parserNames()) {
    it(name, () => {
      const parser = getParser(name)!;
      const changed = (inputFiles() as string[]).filter((file) => digest(parser.parse(read(file))) !== expected.parses[`${name} ${file}`]);
      expect(changed).toEqual([]);
    });
  }
});

describe('golden outputs: every diff on every fixture pair', () => {
  for (const kind of differKinds()) {
    it(kind, () => {
      const differ = getDiffer(kind)!;
      const changed = (diffPairs() as [string, string][])
        .filter(([before, after]) => digest(differ.diff(read(before), read(after))) !== expected.diffs[`${kind} ${before} ${after}`])
        .map((pair) => pair.join(' → '));
      expect(changed).toEqual([]);
    });
  }
});

describe('golden outputs: runbook parse and runbook diff (the built CLI)', () => {
  // One test per command and parser or diff kind, with time for each of its runs (a run
  // took up to 8 s on a 2-core machine at load 50), so no test waits on the whole list.
  const groups = new Map<string, string[][]>();
  for (const args of cliCases() as string[][]) {
    const group = `runbook ${args[0]} ${args[1]}`;
    groups.set(group, [...(groups.get(group) ?? []), args]);
  }
  for (const [group, cases] of groups) {
    it(`${group}: the same table, JSON, warnings and exit code as the reference build`, async () => {
      const changed: string[] = [];
      // Two at a time: the machine has two cores.
      for (let i = 0; i < cases.length; i += 2) {
        await Promise.all(
          cases.slice(i, i + 2).map(async (args) => {
            const run = await execa(process.execPath, [binPath, ...args], { cwd: fixturesRoot, env: cliEnv(), extendEnv: false, reject: false, stdin: 'ignore', stripFinalNewline: false });
            if (cliDigest(run.exitCode, run.stdout, run.stderr) !== expected.cli[args.join(' ')]) changed.push(args.join(' '));
          }),
        );
      }
      expect(changed).toEqual([]);
    }, cases.length * 15_000);
  }
});
