#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.js in turn and prints their figures.
// Benchmarks report; they never fail the build (targets live in each file's header).
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.js'));
// `maps` is maps.bench.js alone, not smaps.bench.js too; a part of a name picks every match.
const files = (all.includes(`${only}.bench.js`) ? [`${only}.bench.js`] : all.filter((f) => !only || f.includes(only))).sort();
for (const file of files) {
  process.stdout.write(`\n## ${file}\n`);
  const mod = await import(pathToFileURL(join(dir, file)).href);
  await mod.default();
}
