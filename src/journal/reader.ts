// Streams a journal line by line: a whole-file read crashed past 512 MB (reliability.md).
// A line that is not a complete record (a torn tail after a crash) is set aside and
// reported, never fatal.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { JOURNAL_VERSION, type JournalRecord } from './records.js';
import { shapeProblem } from './record-shape.js';

export interface SetAsideLine {
  /** 1-based line number in journal.jsonl. */
  line: number;
  /** The start of the line (bounded), for the report. */
  excerpt: string;
  reason: string;
}

export interface JournalContents {
  records: JournalRecord[];
  setAside: SetAsideLine[];
  lastSeq: number;
}

const EXCERPT_CHARS = 120;

export async function readJournal(path: string): Promise<JournalContents> {
  return readJsonLines(path, (value) => shapeProblem(value));
}

/** Any journal of stamped records (sessions, fleets): `problem` says why a whole JSON line
 *  of this version is still not one of its records. */
export async function readJsonLines<R extends { seq: number } = JournalRecord>(
  path: string,
  problem: (value: Record<string, unknown>) => string | undefined,
): Promise<{ records: R[]; setAside: SetAsideLine[]; lastSeq: number }> {
  const records: R[] = [];
  const setAside: SetAsideLine[] = [];
  let lastSeq = 0;
  let lineNo = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === '') continue;
    const parsed = parseRecord<R>(line, problem);
    if (typeof parsed === 'string') {
      setAside.push({ line: lineNo, excerpt: line.slice(0, EXCERPT_CHARS), reason: parsed });
      continue;
    }
    records.push(parsed);
    lastSeq = Math.max(lastSeq, parsed.seq);
  }
  return { records, setAside, lastSeq };
}

/** The record, or why the line is not one. */
function parseRecord<R>(line: string, problem: (value: Record<string, unknown>) => string | undefined): R | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not a complete JSON line (torn write?)';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  if (record.v !== JOURNAL_VERSION) return `unknown journal version ${JSON.stringify(record.v)}`;
  if (typeof record.type !== 'string' || typeof record.seq !== 'number') return 'missing type or seq';
  return problem(record) ?? (record as R);
}
