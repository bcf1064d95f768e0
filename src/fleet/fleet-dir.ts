// A fleet's directory in the state dir: fleets/<id>/journal.jsonl, and the fleet notes
// written beside it. Children are ordinary sessions under sessions/ (each resumable).
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonLines, type SetAsideLine } from '../journal/reader.js';
import { DIR_MODE } from '../journal/session-dir.js';
import { isSafeSessionId } from '../journal/session-id.js';
import { JournalWriter } from '../journal/writer.js';
import { fleetRecordProblem, type FleetRecord, type NewFleetRecord } from './fleet-records.js';

export interface FleetPaths {
  dir: string;
  journal: string;
}

export function fleetsDir(stateDir: string): string {
  return join(stateDir, 'fleets');
}

export function fleetPaths(stateDir: string, id: string): FleetPaths {
  const dir = join(fleetsDir(stateDir), id);
  return { dir, journal: join(dir, 'journal.jsonl') };
}

export function createFleetJournal(stateDir: string, id: string): { paths: FleetPaths; writer: JournalWriter<NewFleetRecord, FleetRecord> } {
  const paths = fleetPaths(stateDir, id);
  mkdirSync(fleetsDir(stateDir), { recursive: true, mode: DIR_MODE });
  mkdirSync(paths.dir, { mode: DIR_MODE });
  chmodSync(paths.dir, DIR_MODE);
  return { paths, writer: JournalWriter.create<NewFleetRecord, FleetRecord>(paths.journal) };
}

/** The fleet journal, a torn or malformed line set aside (never fatal), as reader.ts does. */
export function readFleetJournal(path: string): Promise<{ records: FleetRecord[]; setAside: SetAsideLine[] }> {
  return readJsonLines<FleetRecord>(path, fleetRecordProblem);
}

export function fleetIds(stateDir: string): string[] {
  const root = fleetsDir(stateDir);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && isSafeSessionId(entry.name) && existsSync(join(root, entry.name, 'journal.jsonl')))
    .map((entry) => entry.name);
}
