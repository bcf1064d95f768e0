import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBoundary, JournalWriter } from '../../src/journal/writer.js';
import { readJournal } from '../../src/journal/reader.js';
import { createSessionDir, lockSession } from '../../src/journal/session-dir.js';
import { newSessionId } from '../../src/journal/session-id.js';
import { findSession, listSessions } from '../../src/journal/sessions.js';
import { resolveStateDir } from '../../src/journal/state-dir.js';
import { UserError } from '../../src/errors.js';
import type { NewRecord } from '../../src/journal/records.js';

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'runbook-journal-'));
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

function started(id: string, runbook = 'go-memory'): NewRecord {
  return {
    type: 'session.started',
    session_id: id,
    runbook: { id: runbook, title: 'Go memory', file: '/x.yaml', sha256: 'ab' },
    inputs: { pid: 1 },
    secret_inputs: [],
    target: 'local',
    host: 'h',
    user: 'u',
    tool_version: '0.1.0',
    mode: 'plain',
  };
}

describe('journal', () => {
  it('creates 0700 dirs and a 0600 journal, one line per record with increasing seq', async () => {
    const id = newSessionId('go-memory');
    const paths = createSessionDir(stateDir, id);
    expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
    expect(statSync(paths.artifacts).mode & 0o777).toBe(0o700);
    const writer = JournalWriter.create(paths.journal);
    writer.append(started(id));
    writer.append({ type: 'note.added', text: 'line one\nline two' });
    writer.close();
    expect(statSync(paths.journal).mode & 0o777).toBe(0o600);
    const text = readFileSync(paths.journal, 'utf8');
    expect(text.split('\n')).toHaveLength(3);
    const { records, setAside, lastSeq } = await readJournal(paths.journal);
    expect(setAside).toEqual([]);
    expect(records.map((r) => r.seq)).toEqual([1, 2]);
    expect(lastSeq).toBe(2);
    expect(records[1]).toMatchObject({ type: 'note.added', text: 'line one\nline two', v: 1 });
  });

  it('sets a torn last line aside, and a reopened writer starts on a fresh line', async () => {
    const id = newSessionId('go-memory');
    const paths = createSessionDir(stateDir, id);
    const writer = JournalWriter.create(paths.journal);
    writer.append(started(id));
    writer.close();
    appendFileSync(paths.journal, '{"v":1,"seq":2,"t":"2026-11-22T00:00:00.000Z","type":"step.sta');
    const torn = await readJournal(paths.journal);
    expect(torn.records).toHaveLength(1);
    expect(torn.setAside).toEqual([expect.objectContaining({ line: 2, reason: expect.stringMatching(/torn/) })]);

    const reopened = JournalWriter.reopen(paths.journal, torn.lastSeq);
    reopened.append({ type: 'session.resumed', interrupted: [] });
    reopened.close();
    const after = await readJournal(paths.journal);
    expect(after.records.map((r) => r.type)).toEqual(['session.started', 'session.resumed']);
    expect(after.records[1]!.seq).toBe(2);
    expect(after.setAside).toHaveLength(1);
  });

  it('lists sessions newest first and finds them by unique prefix', async () => {
    const ids = [newSessionId('go-memory', new Date('2026-11-22T01:00:00Z')), newSessionId('gc-pauses', new Date('2026-11-22T02:00:00Z'))];
    for (const id of ids) {
      const paths = createSessionDir(stateDir, id);
      const writer = JournalWriter.create(paths.journal);
      writer.append(started(id, id.includes('gc') ? 'gc-pauses' : 'go-memory'));
      writer.append({ type: 'session.ended', status: 'concluded', exit_code: 0 });
      writer.close();
    }
    const list = await listSessions(stateDir);
    // Both were written now, so they tie on start time and sort by id: the later id first.
    expect(list.map((s) => s.id)).toEqual([...ids].sort().reverse());
    expect(list[0]).toMatchObject({ status: 'concluded', target: 'local' });
    expect(findSession(stateDir, ids[0]!)).toBe(ids[0]);
    expect(findSession(stateDir, ids[1]!.slice(0, 12))).toBe(ids[1]);
    expect(() => findSession(stateDir, '20261122')).toThrow(/matches 2 sessions/);
    try {
      findSession(stateDir, 'go-memory');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).hint).toContain(ids[0]);
    }
  });

  it('shows a session with no end and no live owner as interrupted', async () => {
    const id = newSessionId('go-memory');
    const paths = createSessionDir(stateDir, id);
    const writer = JournalWriter.create(paths.journal);
    writer.append(started(id));
    const unlock = lockSession(paths, id);
    expect((await listSessions(stateDir))[0]!.status).toBe('running');
    unlock();
    expect((await listSessions(stateDir))[0]!.status).toBe('interrupted');
    writer.close();
  });

  it('prefers RUNBOOK_STATE_DIR, then the configured dir, then XDG_STATE_HOME', () => {
    const saved = { ...process.env };
    try {
      process.env.RUNBOOK_STATE_DIR = '/a';
      expect(resolveStateDir('/b')).toBe('/a');
      delete process.env.RUNBOOK_STATE_DIR;
      expect(resolveStateDir('/b')).toBe('/b');
      process.env.XDG_STATE_HOME = '/xdg';
      expect(resolveStateDir()).toBe('/xdg/runbook');
      process.env.XDG_STATE_HOME = 'relative';
      expect(resolveStateDir()).toMatch(/\.local\/state\/runbook$/);
    } finally {
      process.env = saved;
    }
  });
});

describe('fsync boundaries', () => {
  it('include the fleet journal’s child and fleet records (docs say each is synced)', () => {
    for (const type of ['step.finished', 'session.started', 'session.ended', 'fleet.started', 'fleet.concluded', 'child.finished', 'child.failed']) expect(isBoundary({ type }), type).toBe(true);
    for (const type of ['step.started', 'child.started']) expect(isBoundary({ type }), type).toBe(false);
  });
});
