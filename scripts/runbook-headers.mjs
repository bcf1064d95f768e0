#!/usr/bin/env node
// Writes dist/runbook-headers.json: the header `runbook list` shows of each shipped runbook
// (src/runbook/headers.ts), keyed by the file's SHA-256, so list needs no YAML parse for
// them. Runs after `tsc` in `npm run build`, with the validator it just compiled.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { runbookFilesIn, shippedRunbooksDir } = await import(`${root}dist/runbook/discover.js`);
const { loadRunbookFile } = await import(`${root}dist/runbook/load.js`);
const { headerOf } = await import(`${root}dist/runbook/headers.js`);

const headers = [];
for (const file of await runbookFilesIn(shippedRunbooksDir)) {
  const bytes = readFileSync(file);
  headers.push({ sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, ...headerOf(await loadRunbookFile(file)) });
}
writeFileSync(`${root}dist/runbook-headers.json`, `${JSON.stringify(headers, null, 2)}\n`);
