// In-process sessions over the engine fixtures, with a temp state dir per test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineEvent, Interactor } from '../../src/engine/events.js';
import type { EngineOptions } from '../../src/engine/options.js';
import type { Session } from '../../src/engine/session.js';
import { createSession } from '../../src/engine/open-session.js';
import { readJournal } from '../../src/journal/reader.js';
import type { JournalRecord } from '../../src/journal/records.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { flagInteractor } from '../../src/engine/flag-interactor.js';

export const fixturesDir = fileURLToPath(new URL('../fixtures/runbooks-engine/', import.meta.url));

export function fixture(name: string): string {
  return join(fixturesDir, name);
}

export function tempStateDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-engine-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const plainOptions: EngineOptions = { yes: false, mode: 'plain', defaultTimeoutMs: 30_000, confirm: 'mutating', graceMs: 500 };

export interface Started {
  session: Session;
  events: EngineEvent[];
}

export async function startSession(
  stateDir: string,
  runbookFile: string,
  setup: { vars?: Record<string, string>; answers?: Record<string, string>; options?: Partial<EngineOptions>; interactor?: Interactor } = {},
): Promise<Started> {
  const events: EngineEvent[] = [];
  const session = await createSession({
    runbook: await loadRunbook(runbookFile),
    stateDir,
    interactor: setup.interactor ?? flagInteractor(setup.answers ?? {}),
    options: { ...plainOptions, ...setup.options },
    vars: setup.vars ?? {},
    listener: (event) => events.push(event),
  });
  return { session, events };
}

export async function journalOf(session: Session): Promise<JournalRecord[]> {
  return (await readJournal(session.paths.journal)).records;
}

export function finished(records: JournalRecord[], step: string): Extract<JournalRecord, { type: 'step.finished' }>[] {
  return records.filter((r): r is Extract<JournalRecord, { type: 'step.finished' }> => r.type === 'step.finished' && r.step === step);
}
