// Golden tests: the markdown and JSON notes of every fixture session are pinned in
// test/fixtures/notes/<session>.md|.json. After an intended change, regenerate them with
// `UPDATE_GOLDEN=1 npx vitest run test/notes` and review the diff.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { STEP_KINDS } from '../../src/runbook/types.js';
import { exportSession } from '../../src/notes/export.js';
import { fixtureDir, readRecords, runbook, sessionNames, SESSION_DIR } from './fixtures.js';

const update = process.env['UPDATE_GOLDEN'] === '1';

function expectGolden(file: string, actual: string): void {
  const path = `${fixtureDir}${file}`;
  if (update) writeFileSync(path, actual);
  expect(existsSync(path), `${file} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('golden notes', () => {
  for (const name of sessionNames) {
    it(`${name}: markdown`, () => {
      expectGolden(`${name}.md`, exportSession(readRecords(name), { runbook, sessionDir: SESSION_DIR }));
    });
    it(`${name}: JSON`, () => {
      expectGolden(`${name}.json`, exportSession(readRecords(name), { runbook, sessionDir: SESSION_DIR, format: 'json' }));
    });
  }

  it('the fixtures cover every step kind, step outcome and session outcome', () => {
    const records = sessionNames.flatMap(readRecords);
    const kinds = new Set(records.flatMap((r) => (r.type === 'step.started' ? [r.kind] : [])));
    expect([...kinds].sort()).toEqual([...STEP_KINDS].sort());
    const stepStatuses = new Set(records.flatMap((r) => (r.type === 'step.finished' ? [r.status] : [])));
    // `interrupted` also arises from a start with no finish before session.resumed.
    expect([...stepStatuses].sort()).toEqual(['cancelled', 'failed', 'interrupted', 'passed', 'skipped', 'timeout']);
    const endings = sessionNames.map((name) => readRecords(name).find((r) => r.type === 'session.ended'));
    expect(new Set(endings.map((r) => (r?.type === 'session.ended' ? r.status : 'in progress')))).toEqual(
      new Set(['concluded', 'failed', 'cancelled', 'interrupted', 'in progress']),
    );
    const kindsOfRecords = new Set(records.map((r) => r.type));
    expect(kindsOfRecords.size).toBe(9);
  });
});
