// Lines of a Go source tree as `grep -rnH` prints them (`FILE.go:LINE:TEXT`), each with the
// top-level function it is in. gofmt'd code opens a top-level function at column 0
// (`func …`) and closes it there (`}`), so the grep lines alone delimit functions (a grep
// that keeps only some lines must keep `^package |^func |^}`); closures belong to their
// enclosing function. The source audits (cgo-audit, http-body-audit, context-cancel-audit) read their trees
// through this one walker, line by line: they stream (any size, bounded memory).
import { CappedWarnings } from './capped-warnings.js';
import { parseWhole } from './chunk-lines.js';
import { TextLines } from './text-lines.js';
import type { ParseError, ParseResult, ParseStream, ParseWarning, StreamingParser } from './types.js';

export interface GoSourceLine {
  file: string;
  line: number;
  /** The text, empty for a whole-line comment (prose such as "call C.free(…)" is not code). */
  code: string;
  /** `pkg.F`, `pkg.(*T).M`, or `pkg (package level)` outside any function. */
  function: string;
  /** The package clause of the file's directory (`main` until one is seen). */
  pkg: string;
}

export interface GoSourceVisitor {
  /** Every line, in order, with the function it is in (a `func` line belongs to its function). */
  line(line: GoSourceLine): void;
  /** A function ended (its closing `}`, a one-line function, the next file, or the input's end). */
  functionEnd(name: string): void;
}

export interface GoSourceWalk {
  files: Set<string>;
  warnings: ParseWarning[];
  /** Set when the input held more than the walker keeps (MAX_GO_FILES). */
  error?: ParseError;
}

const grepLine = /^(.*?\.go):(\d+):(.*)$/;
const funcLine = /^func\s+(?:\(\s*(?:\w+\s+)?(\*?)\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*)?(\w+)/;

function functionName(pkg: string, line: string): string {
  const m = funcLine.exec(line);
  if (!m) return `${pkg}.(function)`;
  const [, pointer, receiver, name] = m;
  if (receiver === undefined) return `${pkg}.${name}`;
  return pointer ? `${pkg}.(*${receiver}).${name}` : `${pkg}.${receiver}.${name}`;
}

/** A grep line longer than this (generated code, embedded data) is read up to there. */
export const MAX_GO_LINE_BYTES = 64 * 1024;
/** Distinct files kept; a larger tree is an error naming the limit (grep a part of it). */
export const MAX_GO_FILES = 200_000;

/**
 * Walks the grep lines one at a time, in bounded memory: what it keeps is the current
 * function and the set of files (at most MAX_GO_FILES). `everyLine`: the grep kept every
 * line, so a raw string (backquotes) can be followed and a `}` at column 0 inside one (a
 * JSON body) does not end the function.
 */
export class GoSourceWalker {
  private readonly warnings = new CappedWarnings();
  private readonly files = new Set<string>();
  private readonly packages = new Map<string, string>();
  private filesLeftOut = false;
  private open: string | undefined;
  private openFile = '';
  private inRawString = false;

  constructor(
    private readonly visitor: GoSourceVisitor,
    private readonly options: { everyLine?: boolean } = {},
  ) {}

  line(raw: string, lineNo: number): void {
    if (raw.trim() === '') return;
    const m = grepLine.exec(raw);
    if (!m) {
      this.warnings.add(`not a grep -nH line (FILE.go:LINE:TEXT): ${raw.slice(0, 120)}`, lineNo);
      return;
    }
    const [, file = '', lineText = ''] = m;
    const code = /^\s*\/\//.test(m[3]!) ? '' : m[3]!;
    if (file !== this.openFile) {
      this.close();
      this.openFile = file;
      this.inRawString = false;
    }
    if (!this.files.has(file)) {
      if (this.files.size === MAX_GO_FILES) {
        this.filesLeftOut = true;
        return;
      }
      this.files.add(file);
    }
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    // Inside a raw string nothing is a package clause or a function's start or end.
    const outsideRawString = !this.inRawString;
    if (this.options.everyLine && (code.replaceAll("'`'", '').split('`').length - 1) % 2 === 1) this.inRawString = !this.inRawString;
    const pkgDecl = outsideRawString ? /^package\s+(\w+)/.exec(code) : null;
    if (pkgDecl) this.packages.set(dir, pkgDecl[1]!);
    const pkg = this.packages.get(dir) ?? 'main';
    if (outsideRawString && code.startsWith('func ')) {
      this.close();
      this.open = functionName(pkg, code);
    }
    this.visitor.line({ file, line: Number(lineText), code, function: this.open ?? `${pkg} (package level)`, pkg });
    // A one-line function (`func f() { … }`) closes on its own line.
    if (outsideRawString && (code.startsWith('}') || (code.startsWith('func ') && /}\s*$/.test(code)))) this.close();
  }

  end(): GoSourceWalk {
    this.close();
    const error: ParseError | undefined = this.filesLeftOut
      ? { code: 'invalid', message: `more than ${MAX_GO_FILES.toLocaleString('en-US')} Go files, the most a source audit reads: the lines of the files after that were left out; grep the service's own packages (a subdirectory) instead of the whole tree` }
      : undefined;
    return { files: this.files, warnings: this.warnings.list(), ...(error ? { error } : {}) };
  }

  private close(): void {
    if (this.open !== undefined) this.visitor.functionEnd(this.open);
    this.open = undefined;
  }
}

/** Findings (calls, responses, derivations) an audit keeps: each is a fact, listed in full. */
export const MAX_AUDIT_FINDINGS = 100_000;

/** The error of an audit that found more than it keeps. */
export function tooManyFindings(leftOut: number, what: string): ParseError {
  return {
    code: 'invalid',
    message: `more than ${MAX_AUDIT_FINDINGS.toLocaleString('en-US')} ${what}, the most a source audit lists: ${leftOut.toLocaleString('en-US')} after that were left out; grep the service's own packages (a subdirectory) instead of the whole tree`,
  };
}

/** A source audit: a visitor over the walk, and the facts it makes of what it saw. */
export interface GoSourceAudit {
  visitor: GoSourceVisitor;
  result: (walk: GoSourceWalk) => ParseResult;
}

/** A source audit read whole or in chunks, line by line (any size; memory is its findings). */
export function goSourceAuditParser(audit: Omit<StreamingParser, 'parse' | 'stream'> & { everyLine: boolean; open: () => GoSourceAudit }): StreamingParser {
  const stream = (skipBom: boolean): ParseStream => {
    const { visitor, result } = audit.open();
    const walker = new GoSourceWalker(visitor, { everyLine: audit.everyLine });
    let cutLines = 0;
    const lines = new TextLines(MAX_GO_LINE_BYTES, skipBom, (line, number, cut) => {
      if (cut) cutLines++;
      walker.line(line, number);
    });
    return {
      write: (chunk) => lines.write(chunk),
      end: () => {
        lines.end();
        const walk = walker.end();
        if (cutLines > 0) walk.warnings.push({ message: `${cutLines} lines longer than ${MAX_GO_LINE_BYTES / 1024} KiB were read up to there` });
        const parsed = result(walk);
        return walk.error === undefined || parsed.error !== undefined ? parsed : { ...parsed, error: walk.error };
      },
    };
  };
  const { everyLine: _everyLine, open: _open, ...described } = audit;
  return { ...described, parse: (input) => parseWhole(input, stream), stream: () => stream(true) };
}
