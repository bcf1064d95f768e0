// Joining a heap profile's allocation sites (the pprof diff's `alloc_sites`) with the
// compiler's escape report by file:line. The profile records the path the binary was
// built with (absolute, or module-relative under -trimpath: `leaky/main.go`); go build
// prints paths relative to where it ran (`./main.go`, `internal/x/y.go`) or absolute for
// GOROOT. Two paths name the same file when, without a leading `./`, one is the other or
// ends with `/` + the other.
import type { FactValue } from '../types.js';
import { adviceFor } from './advice.js';
import type { EscapeEntry, EscapeKind } from './read.js';

export interface SiteRow {
  file: string;
  line: number;
  fields: { [key: string]: FactValue };
}

const HEAP_PLACING: ReadonlySet<EscapeKind> = new Set(['moved-to-heap', 'escapes-to-heap']);

export function samePath(a: string, b: string): boolean {
  const x = a.replace(/^\.\//, '');
  const y = b.replace(/^\.\//, '');
  if (x === '' || y === '') return false;
  return x === y || x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
}

/** The `sites` option as rows; anything that is not {file: string, line: number, …} is skipped and counted. */
export function siteRows(option: unknown): { rows: SiteRow[]; skipped: number } {
  if (!Array.isArray(option)) return { rows: [], skipped: option === undefined ? 0 : 1 };
  const rows: SiteRow[] = [];
  let skipped = 0;
  for (const item of option) {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const fields = item as { [key: string]: FactValue };
      if (typeof fields.file === 'string' && typeof fields.line === 'number') {
        rows.push({ file: fields.file, line: fields.line, fields });
        continue;
      }
    }
    skipped++;
  }
  return { rows, skipped };
}

/** Each site with what the compiler says put a value on the heap at its line. */
export function joinSites(rows: SiteRow[], entries: EscapeEntry[]): { [key: string]: FactValue }[] {
  return rows.map((row) => {
    const here = entries.filter((e) => e.line === row.line && HEAP_PLACING.has(e.kind) && samePath(e.file, row.file));
    // An inlined function's escape is reported at its own line and again at each call site:
    // one per distinct (kind, expression) is enough.
    const distinct = [...new Map(here.map((e) => [`${e.kind}\u0000${e.what}`, e])).values()];
    const escapes = distinct.map((e) => ({ position: `${e.file}:${e.line}:${e.col}`, kind: e.kind, what: e.what, ...adviceFor(e) }));
    return {
      ...row.fields,
      escapes,
      why: escapes.length > 0 ? escapes.map((e) => e.why).join('; ') : null,
      fix: escapes.length > 0 ? [...new Set(escapes.map((e) => e.fix))].join('; ') : null,
    };
  });
}
