// `runbook export FLEET_ID`: reads the fleet journal and each child's, writes every child's
// notes beside the fleet notes (through writeSessionNotes, the one path for session notes)
// and renders the fleet notes linking to them.
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { fleetAnswer } from '../fleet/fleet-answer.js';
import { fleetPaths, readFleetJournal } from '../fleet/fleet-dir.js';
import { readJournal } from '../journal/reader.js';
import type { SessionConcludedRecord } from '../journal/records.js';
import { sessionPaths, writePrivateFile } from '../journal/session-dir.js';
import { createRedactor } from '../redact/create-redactor.js';
import { renderFleetMarkdown } from './fleet-notes.js';
import { writeSessionNotes } from './write-notes.js';

export interface WrittenFleetNotes {
  text: string;
  /** The fleet notes file, when --out named one. */
  path?: string;
  /** Where the children's notes went. */
  childDir: string;
  warnings: string[];
}

export async function writeFleetNotes(stateDir: string, fleetId: string, out?: string): Promise<WrittenFleetNotes> {
  const paths = fleetPaths(stateDir, fleetId);
  const { records, setAside } = await readFleetJournal(paths.journal);
  const warnings = setAside.map((line) => `${paths.journal}:${line.line} set aside: ${line.reason}`);
  if (!records.some((r) => r.type === 'fleet.started')) throw new UserError(`${paths.journal} has no fleet.started record, so there is nothing to export`, { hint: 'runbook sessions lists the fleets' });
  // Children's notes go beside the fleet notes: next to --out, else in the fleet's dir.
  const childDir = out !== undefined ? dirname(resolve(out)) : paths.dir;
  const conclusions = new Map<string, SessionConcludedRecord>();
  const childNotes = new Map<string, string>();
  const sessions = [...new Set(records.flatMap((r) => ('session_id' in r && r.session_id !== undefined ? [r.session_id] : [])))];
  for (const id of sessions) {
    const child = sessionPaths(stateDir, id);
    let childRecords;
    try {
      childRecords = (await readJournal(child.journal)).records;
    } catch {
      warnings.push(`session ${id}: its journal ${child.journal} cannot be read; its notes are left out`);
      continue;
    }
    const concluded = childRecords.find((r): r is SessionConcludedRecord => r.type === 'session.concluded');
    if (concluded !== undefined) conclusions.set(id, concluded);
    const file = join(childDir, `${id}.md`);
    try {
      await writeSessionNotes(child, { format: 'md', out: file });
    } catch (error) {
      // A child whose journal cannot make notes (no session.started) costs its notes only.
      warnings.push(`session ${id}: ${error instanceof UserError ? error.message : String(error)}; its notes are left out`);
      continue;
    }
    childNotes.set(id, out !== undefined ? basename(file) : file);
  }
  const text = createRedactor().redactText(renderFleetMarkdown({ answer: fleetAnswer(records, conclusions), conclusions, childNotes }));
  if (out === undefined) return { text, childDir, warnings };
  try {
    writePrivateFile(out, text);
  } catch (error) {
    throw new UserError(`cannot write the fleet notes to ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { hint: 'give a path in a directory you can write to' });
  }
  return { text, path: out, childDir, warnings };
}
