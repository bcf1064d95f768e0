#!/usr/bin/env node
// Writes test/golden/expected.json from the current build (dist/): run it on the commit
// whose outputs are the reference, after `npm run build`. See cases.mjs.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliCases, cliDigest, cliEnv, diffPairs, digest, fixturesRoot, inputFiles } from './cases.mjs';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const { getParser, parserNames } = await import(join(dist, 'parsers/registry.js'));
const { getDiffer, differKinds } = await import(join(dist, 'diffs/registry.js'));

const read = (file) => readFileSync(join(fixturesRoot, file));
const parses = {};
for (const name of parserNames()) {
  for (const file of inputFiles()) parses[`${name} ${file}`] = digest(getParser(name).parse(read(file)));
}
const diffs = {};
for (const kind of differKinds()) {
  for (const [before, after] of diffPairs()) diffs[`${kind} ${before} ${after}`] = digest(getDiffer(kind).diff(read(before), read(after)));
}
const bin = fileURLToPath(new URL('../../bin/runbook.js', import.meta.url));
const cli = {};
for (const args of cliCases()) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: fixturesRoot, env: cliEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  cli[args.join(' ')] = cliDigest(run.status, run.stdout, run.stderr);
}
const out = fileURLToPath(new URL('expected.json', import.meta.url));
writeFileSync(out, `${JSON.stringify({ parses, diffs, cli }, null, 1)}\n`);
process.stdout.write(`${Object.keys(parses).length} parses, ${Object.keys(diffs).length} diffs, ${Object.keys(cli).length} CLI runs → ${out}\n`);
