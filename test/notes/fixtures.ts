// Reads the journal fixtures of test/fixtures/notes (hand-built, realistic sessions; see
// README.md there) and the runbook they ran.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JournalRecord } from '../../src/journal/records.js';
import type { Runbook } from '../../src/runbook/types.js';

export const fixtureDir = fileURLToPath(new URL('../fixtures/notes/', import.meta.url));

export const sessionNames = readdirSync(fixtureDir)
  .filter((name) => name.endsWith('.jsonl'))
  .map((name) => name.replace(/\.jsonl$/, ''))
  .sort();

export function readRecords(name: string): JournalRecord[] {
  return readFileSync(`${fixtureDir}${name}.jsonl`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JournalRecord);
}

export const runbook = JSON.parse(readFileSync(`${fixtureDir}go-memory.runbook.json`, 'utf8')) as Runbook;

export const SESSION_DIR = '~/.local/state/runbook/sessions/SESSION';
