// `runbook sessions [--json]`.
import { listSessions } from '../journal/sessions.js';
import { resolveStateDir } from '../journal/state-dir.js';
import { loadSettings } from '../config/settings.js';

export async function sessionsCommand(json: boolean): Promise<void> {
  const stateDir = resolveStateDir(loadSettings().settings.stateDir || undefined);
  const sessions = await listSessions(stateDir);
  if (json) {
    process.stdout.write(`${JSON.stringify(sessions, null, 2)}\n`);
    return;
  }
  if (sessions.length === 0) {
    process.stdout.write(`no sessions in ${stateDir}\n`);
    return;
  }
  const rows = sessions.map((s) => [
    s.id,
    s.runbook,
    s.bundle ? 'bundle' : s.target,
    s.status,
    s.started.slice(0, 19).replace('T', ' '),
    s.updated.slice(0, 19).replace('T', ' '),
    s.conclusion ? `[${s.conclusion.severity}] ${s.conclusion.finding}` : '',
  ]);
  const header = ['ID', 'RUNBOOK', 'TARGET', 'STATUS', 'STARTED (UTC)', 'UPDATED (UTC)', 'CONCLUSION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
}
