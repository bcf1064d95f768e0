// `escape`: the Go compiler's escape analysis (`go build -gcflags=-m` or `-m=2`, stdout and
// stderr together) → per file:line what is on the heap and why. Options:
// - `sites`: allocation sites ({file, line, …}, e.g. a pprof diff's alloc_sites): the first
//   `max_sites` (5) are returned with the escapes at their line, why and the usual fix
//   (`sites`, `sites_text`);
// - `base`: the `entries` of the same packages built at another commit: what started and
//   stopped escaping (`started_escaping`, `stopped_escaping`), as `runbook diff escape` does.
import { BlankInput } from './blank-input.js';
import { CappedWarnings } from './capped-warnings.js';
import { parseWhole } from './chunk-lines.js';
import { adviceFor } from './escape/advice.js';
import { escapeChanges } from './escape/compare.js';
import { joinSites, siteRows } from './escape/join.js';
import { EscapeReader, type EscapeEntry, type EscapeKind } from './escape/read.js';
import { TextLines } from './text-lines.js';
import type { FactValue, Facts, ParseResult, ParseStream, ParserInput, ParseWarning, StreamingParser } from './types.js';

/** Entries kept in the facts; a whole module's -m=2 can hold tens of thousands. */
const DEFAULT_MAX_ENTRIES = 20_000;
/** Diagnostic lines are short; a longer one is read up to here, with a warning. */
const MAX_LINE_BYTES = 2 ** 20;
/** How much of the output's first line an error quotes. */
const QUOTED_CHARS = 300;

export interface EscapeEntries {
  entries: EscapeEntry[];
  result: ParseResult;
}

/**
 * The output read in chunks (`runbook parse escape` and `runbook diff escape` stream their
 * files): line by line into the reader, so what is kept is the entries, not the text.
 */
export class EscapeOutput {
  private readonly reader = new EscapeReader();
  private readonly blank = new BlankInput();
  private readonly lines: TextLines;
  private readonly cut = new CappedWarnings();
  /** The first line that is not blank, quoted in an error: go's own complaint (`go: …`,
   *  `pattern ./...: …`) says what went wrong better than we can. */
  private first = '';

  constructor(skipBom: boolean) {
    this.lines = new TextLines(MAX_LINE_BYTES, skipBom, (line, number, cut) => {
      if (cut) this.cut.add(`line longer than ${MAX_LINE_BYTES / 2 ** 20} MiB: read up to there`, number);
      if (this.first === '' && line.trim() !== '') {
        const first = line.trim();
        this.first = first.length > QUOTED_CHARS ? `${first.slice(0, QUOTED_CHARS)}…` : first;
      }
      this.reader.line(line, number);
    });
  }

  write(chunk: Uint8Array): void {
    this.blank.feed(chunk);
    this.lines.write(chunk);
  }

  end(): EscapeEntries {
    this.lines.end();
    if (this.blank.isBlank()) return { entries: [], result: { facts: {}, warnings: [], error: { code: 'empty', message: 'empty input: go build printed nothing (a package with no code?)' } } };
    const read = this.reader.finish();
    const count = (...kinds: EscapeKind[]): number => read.entries.filter((e) => kinds.includes(e.kind)).length;
    const facts: Facts = {
      format: read.flowLines > 0 ? 'm=2' : 'm',
      packages: read.packages,
      moved_to_heap: count('moved-to-heap'),
      escapes_to_heap: count('escapes-to-heap'),
      leaking_params: count('leaking-param', 'leaking-param-content'),
      does_not_escape: count('does-not-escape'),
      inline_lines: read.inlineLines,
      flow_lines: read.flowLines,
      other_lines: read.otherLines,
    };
    const warnings: ParseWarning[] = [...this.cut.list(), ...read.warnings];
    if (read.errorCount > 0) {
      facts.compile_errors = read.errorLines;
      warnings.push({ message: `${read.errorCount} compile error line(s): the packages did not build, so their escape report is incomplete (first: ${read.errorLines[0]})` });
    }
    if (read.entries.length === 0 && read.inlineLines === 0) {
      const error = read.errorCount > 0
        ? { code: 'invalid' as const, message: `go build failed before escape analysis: ${read.errorLines[0]}` }
        : { code: 'unrecognised-format' as const, message: `no escape-analysis lines (FILE:LINE:COL: moved to heap / escapes to heap / leaking param / does not escape): build with go build -gcflags=-m=2${this.first === '' ? '' : `; the output begins: ${this.first}`}` };
      return { entries: [], result: { facts, warnings, error } };
    }
    return { entries: read.entries, result: { facts, warnings } };
  }
}

export function escapeEntries(input: ParserInput): EscapeEntries {
  return parseWhole(input, (skipBom) => new EscapeOutput(skipBom));
}

function entryFact(e: EscapeEntry): { [key: string]: FactValue } {
  const heap = e.kind !== 'does-not-escape';
  return {
    file: e.file,
    line: e.line,
    col: e.col,
    kind: e.kind,
    what: e.what,
    detail: e.detail,
    flows: e.flows.map((f) => ({ flow: f.flow, steps: f.steps.map((s) => ({ what: s.what, reason: s.reason, at: s.at })) })),
    m1: e.m1,
    ...(heap ? adviceFor(e) : {}),
  };
}

/** Entries given back through an option (an earlier step's `entries` facts). */
function entriesFromOption(option: unknown): EscapeEntry[] {
  if (!Array.isArray(option)) return [];
  return option.flatMap((item): EscapeEntry[] => {
    if (item === null || typeof item !== 'object') return [];
    const e = item as Record<string, unknown>;
    if (typeof e.file !== 'string' || typeof e.line !== 'number' || typeof e.kind !== 'string' || typeof e.what !== 'string') return [];
    return [{ file: e.file, line: e.line, col: typeof e.col === 'number' ? e.col : 0, kind: e.kind as EscapeKind, what: e.what, detail: typeof e.detail === 'string' ? e.detail : '', flows: [], m1: e.m1 !== false }];
  });
}

/** The parser's facts from what was read, with the options' sites and base. */
function escapeFacts({ entries, result }: EscapeEntries, options?: Record<string, unknown>): ParseResult {
  if (result.error) return result;
  const facts = result.facts;
  const max = Number(options?.max_entries ?? DEFAULT_MAX_ENTRIES);
  const limit = Number.isInteger(max) && max >= 0 ? max : DEFAULT_MAX_ENTRIES;
  facts.entries = entries.slice(0, limit).map(entryFact);
  facts.entries_truncated = entries.length > limit;

  const { rows, skipped } = siteRows(options?.sites);
  if (skipped > 0) result.warnings.push({ message: `option sites: ${skipped} item(s) skipped (each needs file and line)` });
  if (options?.sites !== undefined) {
    const maxSites = Number(options.max_sites ?? 5);
    const joined = joinSites(rows.slice(0, Number.isInteger(maxSites) && maxSites > 0 ? maxSites : 5), entries);
    facts.sites = joined;
    facts.sites_explained = joined.filter((s) => s.why !== null).length;
    facts.sites_text = joined.length > 0 ? joined.map(siteLine).join('\n') : '- none: the heap profiles named no allocation site to explain';
  }
  if (options?.base !== undefined) {
    const { started, stopped } = escapeChanges(entriesFromOption(options.base), entries, rows);
    Object.assign(facts, changeFacts(started, stopped));
  }
  return result;
}

export function changeFacts(started: ReturnType<typeof escapeChanges>['started'], stopped: ReturnType<typeof escapeChanges>['stopped']): Facts {
  const fact = (c: (typeof started)[number]): { [key: string]: FactValue } => ({ ...c, lines: c.lines });
  return {
    started_escaping: started.map(fact),
    stopped_escaping: stopped.map(fact),
    started_count: started.length,
    hot_started_count: started.filter((c) => c.hot).length,
    started_text: started.map((c) => `- ${c.file}:${c.lines.join(',')}: ${c.why} (was ${c.count_before}, now ${c.count_after}${c.hot ? '; a hot allocation site' : ''}) — fix: ${c.fix}`).join('\n'),
  };
}

/** One list item per site for a conclusion: where, how much, why, the fix. */
function siteLine(site: { [key: string]: FactValue }): string {
  const where = `- ${String(site.file)}:${String(site.line)}${typeof site.function === 'string' ? ` ${site.function}` : ''}`;
  const objects = typeof site.objects_share_pct === 'number' ? `, ${site.objects_share_pct} % of the objects` : '';
  const share = typeof site.share_pct === 'number' ? ` ${site.share_pct} % of the bytes${objects} allocated` : '';
  const rate = typeof site.bytes_per_s === 'number' ? ` (${(site.bytes_per_s / 1048576).toFixed(1)} MiB/s)` : '';
  const why = site.why === null ? 'no escape diagnostic at this line in the packages built (allocated in another package, or by the runtime or standard library)' : `${String(site.why)} — fix: ${String(site.fix)}`;
  return `${where}:${share}${rate}: ${why}`;
}

class EscapeParseStream implements ParseStream {
  private readonly output: EscapeOutput;

  constructor(private readonly options: Record<string, unknown> | undefined, skipBom: boolean) {
    this.output = new EscapeOutput(skipBom);
  }

  write(chunk: Uint8Array): void {
    this.output.write(chunk);
  }

  end(): ParseResult {
    return escapeFacts(this.output.end(), this.options);
  }
}

export const escapeParser: StreamingParser = {
  name: 'escape',
  summary: 'go build -gcflags=-m / -m=2 output: per file:line what is moved to or escapes to the heap, leaking params, and (-m=2) the chain of reasons',
  keyFacts: ['format', 'moved_to_heap', 'escapes_to_heap', 'leaking_params', 'does_not_escape', 'sites_explained', 'started_count'],
  parse: (input, options) => parseWhole(input, (skipBom) => new EscapeParseStream(options, skipBom)),
  stream: (options) => new EscapeParseStream(options, true),
};
