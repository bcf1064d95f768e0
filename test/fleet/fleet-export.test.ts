// `runbook export FLEET` over children that cannot all make notes: one whose journal has
// no session.started is a warning naming it, and the fleet notes are still written.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFleetJournal } from '../../src/fleet/fleet-dir.js';
import { createSessionDir } from '../../src/journal/session-dir.js';
import { writeFleetNotes } from '../../src/notes/write-fleet-notes.js';

describe('exporting a fleet', () => {
  it('warns about a child whose journal has no session.started and writes the rest', async () => {
    const state = mkdtempSync(join(tmpdir(), 'runbook-fleet-export-'));
    const { writer } = createFleetJournal(state, 'f1');
    writer.append({ type: 'fleet.started', fleet_id: 'f1', runbook: { id: 'go-memory', title: 'Go memory', file: 'go-memory.yaml', sha256: 'x' }, spec: [], targets: ['ssh://a'], concurrency: 1, target_timeout_ms: 60_000 });
    writer.append({ type: 'child.started', target: 'ssh://a', session_id: 'child-1' });
    writer.append({ type: 'child.failed', target: 'ssh://a', session_id: 'child-1', reason: 'cancelled (Ctrl+C)' });
    writer.close();
    writeFileSync(createSessionDir(state, 'child-1').journal, '');
    const out = join(state, '..', `${Math.random().toString(36).slice(2)}-fleet.md`);
    const written = await writeFleetNotes(state, 'f1', out);
    expect(written.warnings).toEqual([expect.stringMatching(/^session child-1: .*session\.started.*; its notes are left out$/)]);
    expect(readFileSync(out, 'utf8')).toMatch(/ssh:\/\/a[\s\S]*cancelled \(Ctrl\+C\)/);
  });
});
