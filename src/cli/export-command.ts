// `runbook export SESSION [--format md|json] [--out FILE]`.
import { loadSettings } from '../config/settings.js';
import { sessionPaths } from '../journal/session-dir.js';
import { findSession } from '../journal/sessions.js';
import { resolveStateDir } from '../journal/state-dir.js';
import { writeSessionNotes } from '../notes/write-notes.js';
import { findFleet } from '../fleet/fleet-summary.js';
import { writeFleetNotes } from '../notes/write-fleet-notes.js';
import { UserError } from '../errors.js';

export async function exportCommandHandler(session: string, format: 'md' | 'json', out: string | undefined): Promise<void> {
  const stateDir = resolveStateDir(loadSettings().settings.stateDir || undefined);
  const fleet = findFleet(stateDir, session);
  if (fleet !== undefined) {
    if (format !== 'md') throw new UserError('a fleet exports as markdown; its records are in runbook sessions --json and the fleet journal', { hint: 'drop --format json' });
    const written = await writeFleetNotes(stateDir, fleet, out);
    for (const warning of written.warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stderr.write(`children's notes written to ${written.childDir}\n`);
    if (written.path) process.stderr.write(`fleet notes written to ${written.path}\n`);
    else process.stdout.write(written.text);
    return;
  }
  const id = findSession(stateDir, session);
  const written = await writeSessionNotes(sessionPaths(stateDir, id), { format, ...(out !== undefined ? { out } : {}) });
  if (written.runbookNote) process.stderr.write(`runbook: ${written.runbookNote}\n`);
  if (written.path) process.stderr.write(`notes written to ${written.path}\n`);
  else process.stdout.write(written.text);
}
