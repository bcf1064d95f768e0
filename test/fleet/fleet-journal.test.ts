import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFleetJournal, fleetIds, readFleetJournal } from '../../src/fleet/fleet-dir.js';

describe('the fleet journal', () => {
  it('appends stamped JSON lines and reads them back; a torn last line is set aside, never fatal', async () => {
    const state = mkdtempSync(join(tmpdir(), 'runbook-fleet-journal-'));
    const { paths, writer } = createFleetJournal(state, '20261207-100000-fleet-go-memory-ab12');
    writer.append({ type: 'child.started', target: 'ssh://a', session_id: 's1' });
    writer.append({ type: 'child.failed', target: 'ssh://b', reason: 'Connection refused' });
    writer.close();
    appendFileSync(paths.journal, '{"v":1,"seq":3,"t":"2026-12-07T10:00:00Z","type":"child.fin');
    const { records, setAside } = await readFleetJournal(paths.journal);
    expect(records.map((r) => [r.seq, r.type])).toEqual([
      [1, 'child.started'],
      [2, 'child.failed'],
    ]);
    expect(setAside).toEqual([{ line: 3, excerpt: expect.stringContaining('child.fin'), reason: 'not a complete JSON line (torn write?)' }]);
    expect(fleetIds(state)).toEqual(['20261207-100000-fleet-go-memory-ab12']);
  });

  it('a whole line that is no fleet record is set aside with why', async () => {
    const state = mkdtempSync(join(tmpdir(), 'runbook-fleet-journal-'));
    const { paths, writer } = createFleetJournal(state, 'f1');
    writer.close();
    appendFileSync(paths.journal, '{"v":1,"seq":1,"t":"x","type":"child.failed","target":"ssh://a"}\n{"v":1,"seq":2,"t":"x","type":"step.started"}\n');
    const { records, setAside } = await readFleetJournal(paths.journal);
    expect(records).toEqual([]);
    expect(setAside.map((s) => s.reason)).toEqual(['child.failed with no reason', 'unknown fleet record type "step.started"']);
  });
});
