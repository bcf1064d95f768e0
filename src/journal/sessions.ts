// Listing and finding sessions under the state dir.
import { existsSync, readdirSync } from 'node:fs';
import { UserError } from '../errors.js';
import { readJournal } from './reader.js';
import { isSafeSessionId } from './session-id.js';
import { lockOwner, sessionPaths } from './session-dir.js';
import { sessionsDir } from './state-dir.js';
import { summarizeSession, type SessionSummary } from './summary.js';

function sessionIds(stateDir: string): string[] {
  const root = sessionsDir(stateDir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && isSafeSessionId(entry.name))
    .map((entry) => entry.name);
}

async function summarize(stateDir: string, id: string): Promise<SessionSummary | null> {
  const paths = sessionPaths(stateDir, id);
  if (!existsSync(paths.journal)) return null;
  const { records, setAside } = await readJournal(paths.journal);
  return summarizeSession(paths.dir, records, setAside.length, lockOwner(paths) !== null);
}

/** Every readable session, newest first. */
export async function listSessions(stateDir: string): Promise<SessionSummary[]> {
  const summaries: SessionSummary[] = [];
  for (const id of sessionIds(stateDir)) {
    const summary = await summarize(stateDir, id);
    if (summary) summaries.push(summary);
  }
  return summaries.sort((a, b) => b.started.localeCompare(a.started) || b.id.localeCompare(a.id));
}

/** The session id matching exactly or by unique prefix; a UserError naming close matches otherwise. */
export function findSession(stateDir: string, idOrPrefix: string): string {
  const ids = sessionIds(stateDir).sort().reverse();
  if (ids.includes(idOrPrefix)) return idOrPrefix;
  const byPrefix = ids.filter((id) => id.startsWith(idOrPrefix));
  if (byPrefix.length === 1) return byPrefix[0]!;
  if (byPrefix.length > 1) {
    throw new UserError(`session id '${idOrPrefix}' matches ${byPrefix.length} sessions: ${byPrefix.slice(0, 5).join(', ')}`, {
      hint: 'type more of the id',
    });
  }
  const close = ids.filter((id) => id.includes(idOrPrefix) || idOrPrefix.includes(id.slice(0, 8)));
  const suggestions = (close.length > 0 ? close : ids).slice(0, 5);
  throw new UserError(`no session '${idOrPrefix}' in ${sessionsDir(stateDir)}`, {
    hint: suggestions.length > 0 ? `did you mean ${suggestions.join(', ')}? (runbook sessions lists them)` : 'runbook sessions lists the sessions',
  });
}
