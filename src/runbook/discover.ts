// Finds runbooks: the directories in RUNBOOK_PATH (colon-separated, searched first so a
// team can override a shipped runbook), then the package's own runbooks/ directory,
// located from this module's file (dist/runbook/ or src/runbook/), never from the cwd.
import { readdir } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { runbookHeader, type RunbookHeader } from './headers.js';
import type { LoadResult } from './load.js';

export const shippedRunbooksDir = fileURLToPath(new URL('../../runbooks/', import.meta.url));

export function runbookSearchPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const extra = (env.RUNBOOK_PATH ?? '').split(':').filter((dir) => dir.length > 0);
  return [...extra, shippedRunbooksDir];
}

export function isRunbookFileName(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

/** The runbook files directly inside one directory, sorted; none when it does not exist. */
export async function runbookFilesIn(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && isRunbookFileName(entry.name))
      .map((entry) => join(dir, entry.name))
      .sort();
  } catch {
    return [];
  }
}

export async function discoverRunbookFiles(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const files: string[] = [];
  for (const dir of runbookSearchPath(env)) files.push(...(await runbookFilesIn(dir)));
  return files;
}

export interface DiscoveredRunbook extends LoadResult {
  /** The runbook's declared id, or the file name without extension when it is invalid. */
  id: string;
  file: string;
}

/** Every discoverable runbook, loaded; the first of several with one id wins. */
export async function discoverRunbooks(env: NodeJS.ProcessEnv = process.env): Promise<DiscoveredRunbook[]> {
  // Loaded here, not at the top: `runbook list` reads headers and never loads the YAML parser.
  const { loadRunbookFile } = await import('./load.js');
  return firstPerId(env, loadRunbookFile, (result) => result.runbook?.id);
}

export interface ListedRunbook extends RunbookHeader {
  id: string;
  file: string;
}

/** What `runbook list` shows of every discoverable runbook, by the same rules, from headers. */
export async function discoverRunbookHeaders(env: NodeJS.ProcessEnv = process.env): Promise<ListedRunbook[]> {
  return firstPerId(env, runbookHeader, (header) => header.id);
}

/** One entry per id along the search path; an invalid file's id is its name without extension. */
async function firstPerId<T>(
  env: NodeJS.ProcessEnv,
  load: (file: string) => Promise<T>,
  declaredId: (loaded: T) => string | null | undefined,
): Promise<Array<T & { id: string; file: string }>> {
  const found: Array<T & { id: string; file: string }> = [];
  const seen = new Set<string>();
  for (const file of await discoverRunbookFiles(env)) {
    const loaded = await load(file);
    const id = declaredId(loaded) ?? basename(file, extname(file));
    if (seen.has(id)) continue;
    seen.add(id);
    found.push({ ...loaded, id, file });
  }
  return found;
}

/** Anything with a slash or a .yaml/.yml ending names a file, not a runbook id. */
export function isRunbookPath(idOrPath: string): boolean {
  return idOrPath.includes('/') || isRunbookFileName(idOrPath);
}

/** A path (see isRunbookPath) that exists, or a runbook id → its file. */
export async function resolveRunbook(idOrPath: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const looksLikePath = isRunbookPath(idOrPath);
  if (looksLikePath && existsSync(idOrPath) && statSync(idOrPath).isFile()) return idOrPath;
  const known = await discoverRunbooks(env);
  const match = known.find((runbook) => runbook.id === idOrPath);
  if (match !== undefined) return match.file;
  if (looksLikePath) throw new UserError(`no runbook file ${idOrPath}`, { hint: 'check the path, or give a runbook id (runbook list)' });
  const ids = known.map((runbook) => runbook.id);
  const guess = didYouMean(idOrPath, ids);
  const suggestion = guess === undefined ? '' : ` — did you mean '${guess}'?`;
  const list = ids.length > 0 ? `known runbooks: ${ids.join(', ')}` : 'no runbooks were found';
  throw new UserError(`no runbook '${idOrPath}'${suggestion}`, {
    hint: `${list}; runbooks are looked for in ${runbookSearchPath(env).join(', ')} (add directories with RUNBOOK_PATH)`,
  });
}
