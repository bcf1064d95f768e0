// Where sessions live: RUNBOOK_STATE_DIR, else the configured `stateDir`, else the XDG
// state dir ($XDG_STATE_HOME/runbook, else ~/.local/state/runbook).
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export function resolveStateDir(configured?: string): string {
  const fromEnv = process.env.RUNBOOK_STATE_DIR;
  if (fromEnv) return fromEnv;
  if (configured) return configured;
  const xdg = process.env.XDG_STATE_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'state');
  return join(base, 'runbook');
}

export function sessionsDir(stateDir: string): string {
  return join(stateDir, 'sessions');
}
