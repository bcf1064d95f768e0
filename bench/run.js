#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.js in turn and prints their figures.
// Benchmarks report; they never fail the build (targets live in each file's header).
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => !only || f.includes(only))
  .sort();
for (const file of files) {
  process.stdout.write(`\n## ${file}\n`);
  const mod = await import(pathToFileURL(join(dir, file)).href);
  await mod.default();
}
