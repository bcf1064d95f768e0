// What `runbook list` shows of a runbook (id, title, summary, problem count) without parsing
// its YAML: the shipped runbooks' headers are computed at build time (scripts/runbook-headers.mjs
// writes dist/runbook-headers.json), keyed by the file's SHA-256, so an edited or unknown file
// misses and is loaded and validated in full. Parsing and validating the shipped runbooks was
// most of `runbook list` after yargs (issue 19).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { LoadResult } from './load.js';

export interface RunbookHeader {
  /** The declared id; null when the file is not a valid runbook. */
  id: string | null;
  title: string | null;
  summary: string | null;
  problems: number;
}

export interface IndexedHeader extends RunbookHeader {
  sha256: string;
  bytes: number;
}

/** dist/runbook-headers.json: next to dist/runbook/ and dist/bundle/, so one path serves both. */
const INDEX_FILE = new URL('../runbook-headers.json', import.meta.url);

let index: Map<string, IndexedHeader> | undefined;

function headerIndex(): Map<string, IndexedHeader> {
  if (index !== undefined) return index;
  let entries: IndexedHeader[] = [];
  try {
    entries = JSON.parse(readFileSync(INDEX_FILE, 'utf8')) as IndexedHeader[];
  } catch {
    // No index (a build without it, or a tsc-only build): every file is loaded in full.
  }
  index = new Map(entries.map((entry) => [entry.sha256, entry]));
  return index;
}

/** The header of one runbook file, from the index when its bytes are the indexed ones. */
export async function runbookHeader(file: string): Promise<RunbookHeader> {
  const known = headerIndex();
  try {
    // Only a regular file of an indexed size is read here (never a FIFO, never a huge file).
    const stats = await stat(file);
    if (stats.isFile() && [...known.values()].some((entry) => entry.bytes === stats.size)) {
      const entry = known.get(createHash('sha256').update(await readFile(file)).digest('hex'));
      if (entry !== undefined) return { id: entry.id, title: entry.title, summary: entry.summary, problems: entry.problems };
    }
  } catch {
    // Unreadable: the full load below reports why.
  }
  const { loadRunbookFile } = await import('./load.js');
  return headerOf(await loadRunbookFile(file));
}

export function headerOf(result: LoadResult): RunbookHeader {
  return { id: result.runbook?.id ?? null, title: result.runbook?.title ?? null, summary: result.runbook?.summary ?? null, problems: result.problems.length };
}
