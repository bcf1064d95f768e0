// Escape regressions between two builds (base and head commits): what is on the heap in
// head and was not in base. Line numbers move whenever code above changes, so entries
// are matched by file, kind and expression, counted (the same expression can escape at
// several lines of a file); where head has more of one than base, head's positions are
// reported.
import { adviceFor } from './advice.js';
import { samePath, type SiteRow } from './join.js';
import type { EscapeEntry, EscapeKind } from './read.js';

const HEAP_KINDS: ReadonlySet<EscapeKind> = new Set(['moved-to-heap', 'escapes-to-heap', 'leaking-param', 'leaking-param-content']);

export interface EscapeChange {
  file: string;
  lines: number[];
  kind: EscapeKind;
  what: string;
  count_before: number;
  count_after: number;
  cause: string;
  why: string;
  fix: string;
  /** Whether a hot allocation site (option `sites`) is at one of these lines. */
  hot: boolean;
}

function keyOf(e: EscapeEntry): string {
  return `${e.file.replace(/^\.\//, '')}\u0000${e.kind}\u0000${e.what}\u0000${e.detail}`;
}

function group(entries: EscapeEntry[]): Map<string, EscapeEntry[]> {
  const groups = new Map<string, EscapeEntry[]>();
  for (const e of entries) {
    if (!HEAP_KINDS.has(e.kind)) continue;
    const key = keyOf(e);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return groups;
}

/** Entries on the heap in `after` more often than in `before`: new escapes first by hotness. */
export function escapeChanges(before: EscapeEntry[], after: EscapeEntry[], sites: SiteRow[]): { started: EscapeChange[]; stopped: EscapeChange[] } {
  const a = group(before);
  const b = group(after);
  const change = (entries: EscapeEntry[], countBefore: number, countAfter: number): EscapeChange => {
    const first = entries[0]!;
    const lines = [...new Set(entries.map((e) => e.line))].sort((x, y) => x - y);
    const advice = adviceFor(first);
    const hot = sites.some((s) => lines.includes(s.line) && samePath(s.file, first.file));
    return { file: first.file, lines, kind: first.kind, what: first.what, count_before: countBefore, count_after: countAfter, ...advice, hot };
  };
  const started: EscapeChange[] = [];
  const stopped: EscapeChange[] = [];
  for (const [key, entries] of b) {
    const old = a.get(key)?.length ?? 0;
    if (entries.length > old) started.push(change(entries, old, entries.length));
  }
  for (const [key, entries] of a) {
    const now = b.get(key)?.length ?? 0;
    if (entries.length > now) stopped.push(change(entries, entries.length, now));
  }
  const order = (x: EscapeChange, y: EscapeChange): number => Number(y.hot) - Number(x.hot) || x.file.localeCompare(y.file) || x.lines[0]! - y.lines[0]!;
  return { started: started.sort(order), stopped: stopped.sort(order) };
}
