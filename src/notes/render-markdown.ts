// Incident notes as GitHub-flavoured markdown, to paste into the incident ticket: header,
// the conclusion first, the timeline of steps, the redaction line, and the path taken as a
// Mermaid flowchart. Pure: records in, text out. Every piece of recorded text goes through
// markdown-text.ts, so nothing a command printed or an engineer typed becomes markup.
import type { OutputExcerpt } from '../exec/output-excerpt.js';
import { blockQuote, codeSpan, fencedBlock, inlineText, table } from './markdown-text.js';
import { pathGraph } from './render-json.js';
import {
  buildSessionNotes,
  type NoteEntry,
  type NotesInput,
  type ResumeEntry,
  type SessionNotes,
  type StepEntry,
} from './session-notes.js';
import { factRows } from '../facts/fact-rows.js';
import { humanValue } from '../facts/human-value.js';
import type { Step } from '../runbook/types.js';
import { formatBytes, formatDuration } from '../facts/format-human.js';
import { formatTime, formatTimestamp, formatValue } from './format.js';

const DEFAULT_EXCERPT_LINES = 15;
/** Facts shown per step; the rest are in the step's facts artifact. */
const MAX_FACT_ROWS = 12;
/** A snapshot's key facts: a few per collector and per diff, up to this many rows. */
const MAX_SNAPSHOT_ROWS = 30;

export function renderMarkdown(input: NotesInput): string {
  const notes = buildSessionNotes(input);
  if (notes === undefined) return '# Incident notes\n\nThe journal has no session start: nothing to report.\n';
  const context: RenderContext = {
    excerptLines: input.excerptLines ?? DEFAULT_EXCERPT_LINES,
    // Relative to the session directory, which the header names once.
    artifactPath: (relative) => relative,
    stepOf: (id) => input.runbook?.steps.find((step) => step.id === id),
  };
  const sections = [
    `# Incident notes: ${inlineText(notes.runbook.title)}`,
    header(notes, input),
    ...alertSection(notes),
    conclusion(notes),
    '## Timeline',
    ...timeline(notes, context),
    '## Redaction',
    redactionLine(notes),
    '## Path taken',
    fencedBlock(pathGraph(notes, input), 'mermaid'),
  ];
  return `${sections.join('\n\n')}\n`;
}

interface RenderContext {
  excerptLines: number;
  artifactPath: (relative: string) => string;
  /** The runbook's step, when the runbook is known (it picks a snapshot's key facts). */
  stepOf: (id: string) => Step | undefined;
}

function header(notes: SessionNotes, input: NotesInput): string {
  const target = [codeSpan(notes.target), `host ${codeSpan(notes.host)}`];
  if (notes.pid !== undefined) target.push(`pid ${codeSpan(notes.pid)}`);
  if (notes.bundle !== undefined) target.push(`replayed from bundle ${codeSpan(notes.bundle)}`);
  const ended =
    notes.ended_at === undefined
      ? `not yet (${formatDuration(notes.duration_ms)} so far)`
      : `${formatTimestamp(notes.ended_at)} (after ${formatDuration(notes.duration_ms)})`;
  const outcome = [`**${notes.outcome}**`];
  if (notes.exit_code !== undefined) outcome.push(`exit code ${notes.exit_code}`);
  if (notes.end_reason !== undefined) outcome.push(inlineText(notes.end_reason));
  // An empty value was not given; a live-only input was not used by a replay.
  const replay = notes.bundle !== undefined;
  const inputs = Object.entries(notes.inputs)
    .filter(([name, value]) => value !== '' && value !== null && !(replay && input.runbook?.inputs[name]?.live_only === true))
    .map(([name, value]) => `${codeSpan(name)} = ${codeSpan(formatValue(value))}`);
  const directory = input.sessionDir === undefined ? '' : `; its directory ${codeSpan(input.sessionDir.replace(/\/+$/, ''))} holds the artifacts named below`;
  return [
    `- **Runbook:** ${inlineText(notes.runbook.title)} (${codeSpan(notes.runbook.id)}, ${codeSpan(notes.runbook.file)}, sha256 ${codeSpan(notes.runbook.sha256.slice(0, 12))})`,
    `- **Target:** ${target.join(', ')}`,
    `- **Engineer:** ${inlineText(notes.user)}`,
    `- **Started:** ${formatTimestamp(notes.started_at)}`,
    `- **Ended:** ${ended}`,
    `- **Outcome:** ${outcome.join(', ')}`,
    ...(inputs.length > 0 ? [`- **Inputs:** ${inputs.join(', ')}`] : []),
    `- **Session:** ${codeSpan(notes.session_id)} (runbook ${inlineText(notes.tool_version)}, ${notes.mode})${directory}`,
  ].join('\n');
}

/** The alert the session answered and the Prometheus graphs of its queries, when there are any. */
function alertSection(notes: SessionNotes): string[] {
  const lines: string[] = [];
  const { alert } = notes;
  if (alert !== undefined) {
    const labels = Object.entries(alert.labels).map(([name, value]) => `${codeSpan(name)}=${codeSpan(value)}`);
    lines.push(`- **Alert:** ${inlineText(alert.name)}, firing since ${formatTimestamp(alert.starts_at)}${alert.fingerprint !== undefined ? ` (fingerprint ${codeSpan(alert.fingerprint)})` : ''}`);
    lines.push(`- **Labels:** ${labels.join(', ')}`);
    for (const [name, value] of Object.entries(alert.annotations)) lines.push(`- **${inlineText(name)}:** ${inlineText(value)}`);
    if (alert.generator_url !== undefined) lines.push(`- **Rule:** ${ruleLink(alert.generator_url)}`);
  }
  for (const graph of notes.graphs ?? []) lines.push(`- **Graph** of ${codeSpan(graph.promql)} (step ${codeSpan(graph.step)}): <${graph.url}>`);
  if (lines.length === 0) return [];
  return [alert !== undefined ? '## Alert' : '## Prometheus graphs', lines.join('\n')];
}

/** The alert rule's page as a link only when it is http(s): the URL comes from the payload,
 *  and a `javascript:` or `file:` link in a ticket is a click away from harm. */
function ruleLink(url: string): string {
  return /^https?:\/\//i.test(url) ? `<${url.replace(/[<>\s]/g, encodeURIComponent)}>` : codeSpan(url);
}

function conclusion(notes: SessionNotes): string {
  const found = notes.conclusion;
  if (found === undefined) {
    const why =
      notes.outcome === 'in progress'
        ? 'The session is still in progress; no conclusion has been reached yet.'
        : `No conclusion was reached: the session ended **${notes.outcome}**${notes.end_reason === undefined ? '' : ` (${inlineText(notes.end_reason)})`}.`;
    return `## Conclusion\n\n${why}`;
  }
  const parts = [
    '## Conclusion',
    `**Finding:** ${inlineText(found.finding)} · **Severity:** ${inlineText(found.severity)}`,
    blockQuote(found.text),
  ];
  if (found.evidence.length > 0) {
    parts.push(
      '**Evidence:**\n\n' +
        found.evidence
          .map((item) => {
            const values = Object.entries(item.values).map(([name, value]) => `${codeSpan(name)} = ${codeSpan(formatValue(value))}`);
            const because = values.length > 0 ? ` (${values.join(', ')})` : '';
            return `- ${inlineText(item.title)} (${codeSpan(item.step)}): ${inlineText(item.explanation)}${because}`;
          })
          .join('\n'),
    );
  }
  if (found.remediation !== undefined) parts.push(`**Remediation:**\n\n${blockQuote(found.remediation)}`);
  return parts.join('\n\n');
}

function timeline(notes: SessionNotes, context: RenderContext): string[] {
  if (notes.timeline.length === 0) return ['No step has run yet.'];
  let number = 0;
  return notes.timeline.map((entry) => {
    if (entry.type === 'note') return noteEntry(entry);
    if (entry.type === 'resumed') return resumeEntry(entry);
    number++;
    return stepEntry(entry, number, context);
  });
}

function stepEntry(entry: StepEntry, number: number, context: RenderContext): string {
  const attempt = entry.attempt > 1 ? `, attempt ${entry.attempt}` : '';
  const parts = [`### ${number}. ${inlineText(entry.title)} (${codeSpan(entry.step)}, ${entry.kind}${attempt}): ${statusWord(entry)}`];
  const facts = [`**Started:** ${formatTime(entry.started_at)}`];
  if (entry.duration_ms !== undefined) facts.push(`**Duration:** ${formatDuration(entry.duration_ms)}`);
  if (entry.exit_code !== undefined) facts.push(`**Exit:** ${entry.exit_code === null ? 'none' : entry.exit_code}`);
  if (entry.signal) facts.push(`**Signal:** ${inlineText(entry.signal)}`);
  if (entry.by_hand) facts.push('**Run by hand** (output pasted by the engineer)');
  parts.push(facts.join(' · '));
  if (entry.reason !== undefined) parts.push(`**Reason:** ${inlineText(entry.reason)}`);
  if (entry.command !== undefined) {
    const where = entry.command.target === 'local' ? '' : ` on ${codeSpan(entry.command.target)}`;
    const env = Object.entries(entry.command.env ?? {}).map(([name, value]) => `${codeSpan(name)}=${codeSpan(value)}`);
    const envLine = env.length > 0 ? `, with ${env.join(', ')}` : '';
    const cwd = entry.command.cwd === undefined ? '' : ` in ${codeSpan(entry.command.cwd)}`;
    parts.push(`Command${where}${cwd}${envLine}:\n\n${fencedBlock(entry.command.display, 'sh')}`);
  }
  if (entry.warnings !== undefined && entry.warnings.length > 0) {
    parts.push(entry.warnings.map((warning) => `- ⚠ ${inlineText(warning)}`).join('\n'));
  }
  if (entry.facts !== undefined && Object.keys(entry.facts).length > 0) parts.push(factsTable(entry, context));
  if (entry.output !== undefined) parts.push(outputExcerpt(entry.output, entry.artifacts?.['stdout'], context));
  if (entry.checklist !== undefined) {
    parts.push(entry.checklist.map((item) => `- [${item.checked ? 'x' : ' '}] ${inlineText(item.item)}`).join('\n'));
  }
  if (entry.answer !== undefined) parts.push(`**Answer:** ${inlineText(entry.answer)}`);
  if (entry.note !== undefined && entry.note !== '') parts.push(`**Engineer's note:**\n\n${blockQuote(entry.note)}`);
  if (entry.decision !== undefined) parts.push(decision(entry));
  const otherArtifacts = Object.entries(entry.artifacts ?? {}).filter(([name]) => name !== 'stdout');
  if (otherArtifacts.length > 0) {
    parts.push(`**Artifacts:** ${otherArtifacts.map(([name, path]) => `${inlineText(name)} ${codeSpan(context.artifactPath(path))}`).join(', ')}`);
  }
  return parts.join('\n\n');
}

function statusWord(entry: StepEntry): string {
  return entry.status === 'passed' ? 'passed' : `**${entry.status.toUpperCase()}**`;
}

/** The facts the decision read first, then the others, bounded. A snapshot's facts are
 *  whole objects per collector: its rows are each collector's key facts instead, as the
 *  plain runner and the TUI show them (src/facts/fact-rows.ts). */
function factsTable(entry: StepEntry, context: RenderContext): string {
  const facts = entry.facts!;
  const where = entry.artifacts?.['facts'];
  const inArtifact = where === undefined ? '' : ` in ${codeSpan(context.artifactPath(where))}`;
  const step = context.stepOf(entry.step);
  if (step?.kind === 'snapshot') {
    const rows = factRows(step, facts, MAX_SNAPSHOT_ROWS).map(([name, value]) => [codeSpan(name), codeSpan(value)]);
    const missing = Object.entries((facts['missing'] ?? {}) as Record<string, unknown>).map(([name, reason]) => [codeSpan(`missing.${name}`), inlineText(String(reason))]);
    return `${table(['fact', 'value'], [...rows, ...missing])}\n\nEvery collected fact is${inArtifact || ' in the facts artifact'}.`;
  }
  const read = new Set(Object.keys(entry.decision?.values ?? {}).map((path) => path.split('.').pop()!));
  // A fact that could not be read (null) has no row; numbers are in human units.
  const names = Object.keys(facts)
    .filter((name) => facts[name] !== null)
    .sort((a, b) => Number(read.has(b)) - Number(read.has(a)));
  const shown = names.slice(0, MAX_FACT_ROWS);
  const rows = shown.map((name) => [codeSpan(name), codeSpan(humanValue(name, facts[name]) ?? formatValue(facts[name]))]);
  let text = table(['fact', 'value'], rows);
  if (names.length > shown.length) text += `\n\n… and ${names.length - shown.length} more facts${inArtifact}.`;
  return text;
}

function outputExcerpt(output: OutputExcerpt, artifact: string | undefined, context: RenderContext): string {
  const limit = context.excerptLines;
  const headLines = splitLines(output.head);
  const tailLines = splitLines(output.tail);
  const head = headLines.slice(0, limit);
  const tail = tailLines.slice(Math.max(0, tailLines.length - limit));
  const shown = head.length + tail.length;
  const omitted = Math.max(0, output.total_lines - shown);
  const size = `${output.total_lines} ${output.total_lines === 1 ? 'line' : 'lines'}, ${formatBytes(output.total_bytes)}`;
  if (shown === 0) return `Output: none (${size}).`;
  let body = head.join('\n');
  if (omitted > 0) body += `\n… ${omitted} lines not shown …`;
  if (tail.length > 0) body += `\n${tail.join('\n')}`;
  const full =
    (omitted > 0 || output.truncated) && artifact !== undefined
      ? `; the full output is in ${codeSpan(context.artifactPath(artifact))}`
      : artifact !== undefined
        ? `; saved as ${codeSpan(context.artifactPath(artifact))}`
        : '';
  return `Output (${size}${full}):\n\n${fencedBlock(body, 'text')}`;
}

function decision(entry: StepEntry): string {
  const d = entry.decision!;
  const values = Object.entries(d.values).map(([name, value]) => [codeSpan(name), codeSpan(formatValue(value))]);
  const rule = d.rule >= 0 && d.expression !== undefined ? ` (rule ${d.rule + 1}: ${codeSpan(d.expression)})` : '';
  const goto = d.goto === null || d.explanation.includes(d.goto) ? '' : ` → ${codeSpan(d.goto)}`;
  const parts = [`**Decision:** ${inlineText(d.explanation)}${rule}${goto}`];
  if (values.length > 0) parts.push(table(['value read', 'was'], values));
  if (d.rejected !== undefined && d.rejected.length > 0) {
    const rejected = d.rejected.map((r) => {
      const read = Object.entries(r.values).map(([name, value]) => `${codeSpan(name)} = ${codeSpan(formatValue(value))}`);
      const error = r.error === undefined ? '' : ` (error: ${inlineText(r.error)})`;
      return `- rule ${r.rule + 1} ${codeSpan(r.expression)} was false${read.length > 0 ? ` with ${read.join(', ')}` : ''}${error}`;
    });
    parts.push(`Rules not taken:\n\n${rejected.join('\n')}`);
  }
  return parts.join('\n\n');
}

function noteEntry(entry: NoteEntry): string {
  const during = entry.step === undefined ? '' : ` during ${codeSpan(entry.step)}`;
  return `**Note** (${formatTime(entry.at)}${during}):\n\n${blockQuote(entry.text)}`;
}

function resumeEntry(entry: ResumeEntry): string {
  const steps = entry.interrupted.map(codeSpan).join(', ');
  return `**Session resumed** at ${formatTime(entry.at)}${steps === '' ? '.' : `; interrupted: ${steps}.`}`;
}

function redactionLine(notes: SessionNotes): string {
  const { total, counts } = notes.redaction;
  if (total === 0) return 'No values needed masking.';
  const byRule = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([rule, n]) => `${rule} ${n}`)
    .join(', ');
  return `${total} ${total === 1 ? 'value was' : 'values were'} masked before anything was written: ${byRule}.`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\n$/, '').split('\n');
}
