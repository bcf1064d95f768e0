// Starting or resuming a session for the TUI: the same Session the plain runner drives,
// with the PromptBroker as its Interactor, wrapped in a store and a controller.
import type { Session } from '../engine/session.js';
import { createSession, resumeSession } from '../engine/open-session.js';
import { UserError } from '../errors.js';
import { readJournal } from '../journal/reader.js';
import type { AlertRecord, SessionStartedRecord } from '../journal/records.js';
import { sessionPaths } from '../journal/session-dir.js';
import { loadRunbook } from '../runbook/load.js';
import type { Runbook } from '../runbook/types.js';
import type { EngineSetup } from '../engine/setup.js';
import type { PromptBroker } from './prompt-broker.js';
import { SessionController } from './session-controller.js';
import { SessionStore } from './session-store.js';

export type SessionRequest =
  | { kind: 'new'; runbook: Runbook; vars: Record<string, string>; bundle?: string; alert?: AlertRecord }
  | { kind: 'resume'; id: string; vars?: Record<string, string> };

export async function openSession(request: SessionRequest, setup: EngineSetup, broker: PromptBroker): Promise<SessionController> {
  const options = { ...setup.options, mode: 'interactive' as const };
  let session: Session;
  if (request.kind === 'new') {
    session = await createSession({
      runbook: request.runbook,
      stateDir: setup.stateDir,
      interactor: broker.interactor,
      options: { ...options, ...(request.bundle !== undefined ? { bundle: request.bundle } : {}) },
      vars: request.vars,
      ...(request.alert !== undefined ? { alert: request.alert } : {}),
    });
  } else {
    const { records } = await readJournal(sessionPaths(setup.stateDir, request.id).journal);
    const started = records.find((r): r is SessionStartedRecord => r.type === 'session.started');
    if (!started) throw new UserError(`session ${request.id} has no session.started record; it cannot be resumed`);
    session = await resumeSession({
      id: request.id,
      runbook: await loadRunbook(started.runbook.file),
      stateDir: setup.stateDir,
      interactor: broker.interactor,
      options,
      vars: request.vars ?? {},
    });
  }
  // Read after create/resume so the store starts from everything already written
  // (a resumed session's steps and the interrupted records resume just added).
  const { records } = await readJournal(session.paths.journal);
  const store = new SessionStore(session, { history: records });
  for (const warning of session.warnings) store.addMessage(`warning: ${warning}`, 'warn');
  return new SessionController(session, store, () => broker.getSnapshot() !== null);
}
