// The fleet's notes as markdown, for the incident ticket: the summary first (counts by
// finding), the per-instance table, outliers, what could not be diagnosed and why, then one
// section per finding group linking to each child's own notes. Pure: answer in, text out;
// every recorded text goes through markdown-text.ts.
import type { FleetAnswer } from '../fleet/fleet-answer.js';
import type { SessionConcludedRecord } from '../journal/records.js';
import { codeSpan, inlineText, table } from './markdown-text.js';

export interface FleetNotesInput {
  answer: FleetAnswer;
  /** Each child's conclusion, by session id. */
  conclusions: ReadonlyMap<string, SessionConcludedRecord>;
  /** Where each child's notes file is, by session id, as the fleet notes link it. */
  childNotes: ReadonlyMap<string, string>;
}

export function renderFleetMarkdown(input: FleetNotesInput): string {
  const { answer } = input;
  const started = answer.started;
  const members = started?.targets.length ?? answer.rows.length + answer.failed.length;
  const link = (sessionId: string | undefined): string => {
    const file = sessionId === undefined ? undefined : input.childNotes.get(sessionId);
    return file === undefined ? (sessionId === undefined ? '' : codeSpan(sessionId)) : `[${inlineText(sessionId!)}](${encodeURI(file)})`;
  };
  const sections = [
    `# Fleet notes: ${inlineText(started?.runbook.title ?? 'fleet run')}`,
    [
      `Fleet ${codeSpan(answer.fleet_id)}, runbook ${codeSpan(started?.runbook.id ?? '?')}, ${members} targets`,
      ...(started !== undefined ? [`started ${inlineText(started.t)}, ${started.concurrency} at once, from ${started.spec.map(codeSpan).join(', ')}.`] : []),
    ].join('; '),
    '## Summary',
    [
      `${answer.rows.length} of ${members} targets reached a finding${answer.failed.length + answer.pending.length > 0 ? `; ${answer.failed.length + answer.pending.length} could not be diagnosed` : ''}.`,
      ...(answer.groups.length > 0 ? ['', ...answer.groups.map((g) => `- ${g.targets.length} × **${inlineText(g.finding)}** (${g.severity})`)] : []),
    ].join('\n'),
  ];
  if (answer.rows.length > 0) {
    const labels = [...new Set(answer.rows.flatMap((r) => Object.keys(r.numbers)))];
    sections.push(
      '## Instances',
      table(
        ['Target', 'Severity', 'Finding', ...labels.map(inlineText), 'Session'],
        // A number a child did not read stays empty: never a placeholder.
        answer.rows.map((r) => [codeSpan(r.target), r.severity, inlineText(r.finding), ...labels.map((l) => (r.numbers[l] === undefined ? '' : String(r.numbers[l]))), link(r.session_id)]),
      ),
    );
  }
  if (answer.outliers.length > 0) {
    sections.push(
      '## Outliers',
      answer.outliers.map((o) => `- ${codeSpan(o.target)} (${inlineText(o.finding)}): ${inlineText(o.number)} ${o.value}, ${o.ratio}× the median ${o.median} of the rest of its group`).join('\n'),
    );
  }
  if (answer.failed.length + answer.pending.length > 0) {
    sections.push(
      '## Could not be diagnosed',
      table(['Target', 'Why', 'Session'], [
        ...answer.failed.map((f) => [codeSpan(f.target), inlineText(f.reason), link(f.session_id)]),
        ...answer.pending.map((t) => [codeSpan(t), 'did not finish: the fleet run stopped first', '']),
      ]),
    );
  }
  for (const group of answer.groups) {
    const rows = answer.rows.filter((r) => r.finding === group.finding);
    sections.push(
      `## ${inlineText(group.finding)} (${group.targets.length})`,
      rows
        .map((r) => {
          const text = input.conclusions.get(r.session_id)?.text;
          return `- ${codeSpan(r.target)}, notes ${link(r.session_id)}${text !== undefined ? `: ${inlineText(text)}` : ''}`;
        })
        .join('\n'),
    );
  }
  return `${sections.join('\n\n')}\n`;
}
