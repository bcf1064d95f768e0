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

  it('sets aside well-formed lines whose fields have the wrong type, and session ids that leave the state dir', async () => {
    const state = mkdtempSync(join(tmpdir(), 'runbook-fleet-journal-'));
    const { paths, writer } = createFleetJournal(state, 'f2');
    writer.close();
    const stamp = '"v":1,"seq":1,"t":"2026-12-07T10:00:00Z"';
    const started = '"type":"fleet.started","fleet_id":"f2","runbook":{"id":"go-memory","title":"Go memory"},"spec":[]';
    const lines = [
      `{${stamp},${started},"targets":{},"concurrency":8,"target_timeout_ms":600000}`,
      `{${stamp},${started},"targets":["ssh://a"],"target_timeout_ms":600000}`,
      `{${stamp},"type":"child.started","target":"ssh://a","session_id":"../../etc"}`,
      `{${stamp},"type":"child.failed","target":"ssh://a","reason":"refused","session_id":"../x"}`,
      `{${stamp},"type":"child.finished","target":"ssh://a","session_id":"s1","status":"concluded","finding":"f","severity":"dire","numbers":{}}`,
      `{${stamp},"type":"child.finished","target":"ssh://a","session_id":"s1","status":"concluded","finding":"f","severity":"low","numbers":{"n":"7"}}`,
      `{${stamp},"type":"fleet.concluded","fleet_id":"f2","status":"concluded","groups":[{"finding":"f"}],"failed":[],"outliers":[]}`,
      `{${stamp},${started},"targets":["ssh://a"],"concurrency":8,"target_timeout_ms":600000}`,
    ];
    appendFileSync(paths.journal, `${lines.join('\n')}\n`);
    const { records, setAside } = await readFleetJournal(paths.journal);
    expect(records.map((r) => r.type)).toEqual(['fleet.started']);
    expect(setAside.map((s) => s.reason)).toEqual([
      'fleet.started with a malformed targets',
      'fleet.started with no concurrency',
      'child.started with a malformed session_id',
      'child.failed with a malformed session_id',
      'child.finished with a malformed severity',
      'child.finished with a malformed numbers',
      'fleet.concluded with a malformed groups',
    ]);
  });
});
