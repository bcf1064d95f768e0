// `runbook sessions [--json]`.
import { listSessions } from '../journal/sessions.js';
import { resolveStateDir } from '../journal/state-dir.js';
import { loadSettings } from '../config/settings.js';
import { listFleets, type FleetSummary } from '../fleet/fleet-summary.js';

export async function sessionsCommand(json: boolean): Promise<void> {
  const stateDir = resolveStateDir(loadSettings().settings.stateDir || undefined);
  const sessions = await listSessions(stateDir);
  const fleets = await listFleets(stateDir);
  if (json) {
    // Sessions as before, then one entry per fleet (kind: fleet) with its children.
    process.stdout.write(`${JSON.stringify([...sessions, ...fleets], null, 2)}\n`);
    return;
  }
  // A fleet whose members were all unreachable has no child session: it is listed all the same.
  for (const line of fleetLines(fleets)) process.stdout.write(`${line}\n`);
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

/** Each fleet, then its children indented: target, session, finding or why not. */
function fleetLines(fleets: FleetSummary[]): string[] {
  const lines: string[] = [];
  for (const fleet of fleets) {
    const concluded = fleet.children.filter((c) => c.status === 'concluded').length;
    lines.push(`FLEET ${fleet.id}  ${fleet.runbook}  ${fleet.status}  ${fleet.started.slice(0, 19).replace('T', ' ')}  ${concluded}/${fleet.children.length} concluded`);
    for (const child of fleet.children) {
      const what = child.status === 'concluded' ? `[${child.severity}] ${child.finding}` : child.status === 'failed' ? `failed: ${child.reason}` : 'unfinished';
      lines.push(`  ${child.target}  ${child.session_id ?? '-'}  ${what}`);
    }
  }
  if (lines.length > 0) lines.push('');
  return lines;
}
