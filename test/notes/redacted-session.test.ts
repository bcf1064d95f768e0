// The redaction contract end to end, as the engine uses it: command output streams through
// redactor.stream() in small chunks into the artifact text, every record goes through
// redactValue() before it is "written", and the exports are rendered from those records.
// No planted form may survive in the artifact, the journal or either export.
import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/journal/records.js';
import { createRedactor } from '../../src/redact/create-redactor.js';
import { exportSession } from '../../src/notes/export.js';
import { PLANTED, SECRETS } from '../redact/planted.js';
import { readRecords, runbook } from './fixtures.js';

describe('a session whose command prints planted secrets', () => {
  const output = PLANTED.map((p) => `${p.name}: ${p.text}`).join('\n') + '\n';
  const redactor = createRedactor({ secrets: SECRETS });
  const stream = redactor.stream();
  let artifact = '';
  for (let at = 0; at < output.length; at += 37) artifact += stream.push(output.slice(at, at + 37));
  artifact += stream.end();

  const lines = artifact.split('\n');
  const raw: JournalRecord[] = readRecords('concluded').map((record) => {
    if (record.type === 'step.finished' && record.step === 'read-status') {
      return {
        ...record,
        output: { head: lines.slice(0, 20).join('\n'), tail: lines.slice(-20).join('\n'), total_bytes: artifact.length, total_lines: lines.length, truncated: true },
        facts: { ...record.facts, leaked_token: SECRETS[0]!, header: { Authorization: 'Bearer opaque-4f9a1c2e8b7d' } },
      };
    }
    if (record.type === 'note.added') return { ...record, text: `pasted: ${output}` };
    return record;
  });
  const journal = raw.map((record) => redactor.redactValue(record));
  const journalText = journal.map((record) => JSON.stringify(record)).join('\n');
  const exports = [exportSession(journal, { runbook }), exportSession(journal, { runbook, format: 'json' })];

  for (const planted of PLANTED) {
    it(`${planted.name} is in no artifact, journal line or export`, () => {
      for (const [where, text] of [['artifact', artifact], ['journal', journalText], ['markdown', exports[0]!], ['json', exports[1]!]] as const) {
        for (const leak of planted.leaks) {
          expect(text.includes(leak), `${where} leaks ${JSON.stringify(leak)}`).toBe(false);
          // JSON escaping of the leak itself (the journal and the JSON export are JSON).
          expect(text.includes(JSON.stringify(leak).slice(1, -1)), `${where} leaks ${JSON.stringify(leak)} escaped`).toBe(false);
        }
      }
    });
  }

  it('the facts under a header key are masked too', () => {
    expect(journalText).not.toContain('opaque-4f9a1c2e8b7d');
    expect(journalText).toContain('"Authorization":"[REDACTED:authorization-header]"');
  });

  it('counts what it masked, by rule', () => {
    const counts = redactor.counts();
    for (const rule of new Set(PLANTED.map((p) => p.rule))) expect(counts[rule], rule).toBeGreaterThan(0);
  });
});
