// `runbook export SESSION [--format md|json] [--out FILE]`.
import { loadSettings } from '../config/settings.js';
import { sessionPaths } from '../journal/session-dir.js';
import { findSession } from '../journal/sessions.js';
import { resolveStateDir } from '../journal/state-dir.js';
import { writeSessionNotes } from '../notes/write-notes.js';

export async function exportCommandHandler(session: string, format: 'md' | 'json', out: string | undefined): Promise<void> {
  const stateDir = resolveStateDir(loadSettings().settings.stateDir || undefined);
  const id = findSession(stateDir, session);
  const written = await writeSessionNotes(sessionPaths(stateDir, id), { format, ...(out !== undefined ? { out } : {}) });
  if (written.runbookNote) process.stderr.write(`runbook: ${written.runbookNote}\n`);
  if (written.path) process.stderr.write(`notes written to ${written.path}\n`);
  else process.stdout.write(written.text);
}
