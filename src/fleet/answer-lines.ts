// The fleet's answer as plain lines for the terminal (stderr): counts by finding, the
// per-instance table, outliers, and what could not be diagnosed, with why.
import type { FleetAnswer } from './fleet-answer.js';

export function fleetSummaryLines(answer: FleetAnswer): string[] {
  const members = answer.started?.targets.length ?? answer.rows.length + answer.failed.length;
  const lines = [`fleet ${answer.fleet_id}: ${answer.rows.length} of ${members} targets concluded`];
  for (const group of answer.groups) lines.push(`  ${group.targets.length} × [${group.severity}] ${group.finding}`);
  if (answer.rows.length > 0) {
    lines.push('', ...table(answer));
  }
  for (const o of answer.outliers) lines.push(`outlier: ${o.target} (${o.finding}): ${o.number} ${o.value}, ${o.ratio}× the median ${o.median} of the rest`);
  if (answer.failed.length > 0) lines.push('', `could not be diagnosed (${answer.failed.length}):`);
  for (const f of answer.failed) lines.push(`  ${f.target}: ${f.reason}`);
  for (const target of answer.pending) lines.push(`  ${target}: did not finish`);
  return lines;
}

function table(answer: FleetAnswer): string[] {
  const rows = answer.rows.map((r) => [r.target, r.severity, r.finding, Object.entries(r.numbers).map(([k, v]) => `${k}=${v}`).join(' ')]);
  const header = ['TARGET', 'SEVERITY', 'FINDING', 'NUMBERS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}
