// Exports a session's notes: read the journal, find the runbook it ran, render, and
// (when written to a file) record the export in the journal. One path for
// `runbook export`, `runbook run --notes FILE` and the TUI's `x` key.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readJournal } from '../journal/reader.js';
import { lockOwner, writePrivateFile, type SessionPaths } from '../journal/session-dir.js';
import { UserError } from '../errors.js';
import { JournalWriter } from '../journal/writer.js';
import type { SessionStartedRecord } from '../journal/records.js';
import { loadRunbookFile } from '../runbook/load.js';
import type { Runbook } from '../runbook/types.js';
import { exportSession, type ExportFormat } from './export.js';

export interface WriteNotesOptions {
  format?: ExportFormat;
  /** Where to write; without it the text is only returned. */
  out?: string;
  /** How the export is recorded when the caller drives the session (its journal writer);
   *  without it, the journal is reopened, unless another live process holds it. */
  record?: (format: ExportFormat, path: string) => void;
}

export interface WrittenNotes {
  text: string;
  path?: string;
  /** Why the full runbook graph is missing, when it is (file gone or edited since). */
  runbookNote?: string;
  /** Whether session.exported went into the journal: not while another live process
   *  drives the session (two writers would interleave its journal). */
  recorded: boolean;
}

export async function writeSessionNotes(paths: SessionPaths, options: WriteNotesOptions = {}): Promise<WrittenNotes> {
  const { records, lastSeq } = await readJournal(paths.journal);
  const started = records.find((r): r is SessionStartedRecord => r.type === 'session.started');
  const { runbook, note } = started ? await runbookAsRun(started) : { runbook: undefined, note: undefined };
  const format = options.format ?? 'md';
  const text = exportSession(records, { format, sessionDir: paths.dir, ...(runbook ? { runbook } : {}) });
  const base = { text, recorded: false, ...(note ? { runbookNote: note } : {}) };
  if (options.out === undefined) return base;
  try {
    writePrivateFile(options.out, text);
  } catch (error) {
    throw new UserError(`cannot write the notes to ${options.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'give a path in a directory you can write to',
    });
  }
  if (options.record) {
    options.record(format, options.out);
    return { ...base, path: options.out, recorded: true };
  }
  if (lockOwner(paths) !== null) return { ...base, path: options.out };
  const journal = JournalWriter.reopen(paths.journal, lastSeq);
  try {
    journal.append({ type: 'session.exported', format, path: options.out });
  } finally {
    journal.close();
  }
  return { ...base, path: options.out, recorded: true };
}

/** The runbook file as it was when the session ran, or why it cannot be used. */
async function runbookAsRun(started: SessionStartedRecord): Promise<{ runbook?: Runbook; note?: string }> {
  const file = started.runbook.file;
  if (!existsSync(file)) return { note: `${file} no longer exists: the graph shows only the steps that ran` };
  const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (sha !== started.runbook.sha256) return { note: `${file} changed since the session ran: the graph shows only the steps that ran` };
  const loaded = await loadRunbookFile(file);
  return loaded.runbook ? { runbook: loaded.runbook } : { note: `${file} is no longer valid: the graph shows only the steps that ran` };
}
