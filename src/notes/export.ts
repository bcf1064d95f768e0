// What `runbook export SESSION` and `runbook graph RUNBOOK` do once the journal and the
// runbook are read: each command's handler is one call here (docs/notes.md).
import type { JournalRecord } from '../journal/records.js';
import type { Runbook } from '../runbook/types.js';
import { UserError } from '../errors.js';
import { createRedactor } from '../redact/create-redactor.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import { renderRunbookGraph } from './runbook-graph.js';

export type ExportFormat = 'md' | 'json';

export interface ExportOptions {
  format?: ExportFormat;
  /** The runbook the session ran, for the full graph (the path alone is drawn without it). */
  runbook?: Runbook;
  /** The session directory, so artifact paths in the notes can be opened as written. */
  sessionDir?: string;
  excerptLines?: number;
}

/** The notes of a session as the text of the export file (markdown or pretty JSON). */
export function exportSession(records: JournalRecord[], options: ExportOptions = {}): string {
  if (!records.some((record) => record.type === 'session.started')) {
    const where = options.sessionDir === undefined ? 'the journal' : `${options.sessionDir}/journal.jsonl`;
    throw new UserError(`${where} has no session.started record, so there is nothing to export`, {
      hint: 'check the session id with `runbook sessions`',
    });
  }
  // The engine redacted every record before writing it; masking again at export costs
  // little and covers journals written by an older or buggy writer.
  const input = {
    records: createRedactor().redactValue(records),
    ...(options.runbook !== undefined && { runbook: options.runbook }),
    ...(options.sessionDir !== undefined && { sessionDir: options.sessionDir }),
    ...(options.excerptLines !== undefined && { excerptLines: options.excerptLines }),
  };
  if ((options.format ?? 'md') === 'json') return `${JSON.stringify(renderJson(input), null, 2)}\n`;
  return renderMarkdown(input);
}

/** `runbook graph RUNBOOK`: the runbook's flowchart as Mermaid text. */
export function graphRunbook(runbook: Runbook): string {
  return `${renderRunbookGraph(runbook)}\n`;
}

/** A file name for `--out` defaults and the TUI's `x` key: notes-<session>.md|json. */
export function exportFileName(sessionId: string, format: ExportFormat = 'md'): string {
  return `notes-${sessionId.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}`;
}
