// Plain output: one line per event on stderr (no escape codes), and with --json one JSON
// object per journal record on stdout, the last (session.ended) carrying the conclusion.
import type { EngineListener, SessionState } from '../engine/events.js';
import type { JournalRecord } from '../journal/records.js';
import { keyFacts } from '../facts/key-facts.js';

export interface PlainSinks {
  /** Human lines (stderr). */
  line(text: string): void;
  /** JSON events (stdout), when --json. */
  json?: (object: Record<string, unknown>) => void;
}

export function plainRenderer(sinks: PlainSinks): EngineListener {
  return (event, state) => {
    if (event.type !== 'record') return;
    for (const line of describe(event.record, state)) sinks.line(line);
    if (sinks.json) sinks.json(jsonEvent(event.record, state));
  };
}

function jsonEvent(record: JournalRecord, state: SessionState): Record<string, unknown> {
  const base: Record<string, unknown> = { session: state.id, ...record };
  if (record.type === 'session.ended') {
    const c = state.conclusion;
    base.conclusion = c ? { finding: c.finding, severity: c.severity, text: c.text, ...(c.remediation ? { remediation: c.remediation } : {}) } : null;
  }
  return base;
}

function describe(record: JournalRecord, state: SessionState): string[] {
  switch (record.type) {
    case 'session.started':
      return [`session ${record.session_id}: ${record.runbook.title} (${record.runbook.id}) on ${record.bundle ? `bundle ${record.bundle}` : record.target}`];
    case 'session.resumed':
      return [`session ${state.id} resumed${record.interrupted.length > 0 ? `; interrupted: ${record.interrupted.join(', ')}` : ''}`];
    case 'step.started': {
      const lines = [`▶ ${record.step} (${record.kind}${record.attempt > 1 ? `, attempt ${record.attempt}` : ''})${record.title ? `: ${record.title}` : ''}`];
      if (record.command) lines.push(`  $ ${record.command.display}`);
      return lines;
    }
    case 'step.finished': {
      const exit = record.exit_code !== undefined && record.exit_code !== null ? `, exit ${record.exit_code}` : '';
      const mark = record.status === 'passed' ? '✔' : record.status === 'skipped' ? '↷' : '✘';
      const lines = [`${mark} ${record.step} ${record.status} in ${record.duration_ms} ms${exit}${record.reason ? `: ${record.reason}` : ''}`];
      const step = state.runbook.steps.find((s) => s.id === record.step);
      const facts = state.facts[record.step];
      if (step && facts && record.status !== 'interrupted') {
        const shown = keyFacts(step, facts);
        if (shown.length > 0) lines.push(`  facts: ${shown.map(([k, v]) => `${k}=${v}`).join(', ')}`);
      }
      for (const warning of record.warnings ?? []) lines.push(`  warning: ${warning}`);
      if (record.decision) {
        const d = record.decision;
        lines.push(d.goto ? `  → ${d.goto}: ${d.explanation}` : `  → ${d.explanation}`);
      }
      return lines;
    }
    case 'note.added':
      return [`note: ${record.text}`];
    case 'session.concluded':
      return [`■ conclusion [${record.severity}] ${record.finding}: ${record.text}`, ...(record.remediation ? [`  remediation: ${record.remediation}`] : [])];
    case 'session.ended': {
      const resumable = record.status !== 'concluded' ? `; resume with: runbook resume ${state.id}` : '';
      return [`session ${state.id} ${record.status} (exit ${record.exit_code})${record.reason ? `: ${record.reason}` : ''}${resumable}`];
    }
    default:
      return [];
  }
}
