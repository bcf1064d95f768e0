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
/** A kept file path: PATH_MAX. */
export const MAX_GO_PATH_BYTES = 4096;
/** A kept identifier, package or function name (receiver and method included). */
export const MAX_GO_NAME_BYTES = 512;

/**
 * A copy of `text` at most `maxBytes` of UTF-8 long (cut at a character's start), or
 * undefined when it is longer. A copy: a regex capture is a slice that keeps its whole line
 * (up to MAX_GO_LINE_BYTES) alive as long as the capture is kept.
 */
export function keptText(text: string, maxBytes: number): { text: string; cut: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text: bytes.toString('utf8'), cut: false };
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: bytes.toString('utf8', 0, end), cut: true };
}

/** A name an audit keeps from a line (an identifier, a selector, a callee): a copy, capped. */
export function keptName(text: string): string {
  return keptText(text, MAX_GO_NAME_BYTES).text;
}

/** Backquotes outside a rune literal ('`'): each opens or closes a raw string. */
function backquotes(code: string): number {
  return code.replaceAll("'`'", '').split('`').length - 1;
}

const BACKQUOTE = 0x60;
const QUOTE = 0x27;

/**
 * The backquotes of a cut line's dropped bytes (fed before the line is visited), rune
 * literals left out as backquotes() does, so the raw-string state follows the whole line.
 */
class DroppedBackquotes {
  private count = 0;
  /** The two bytes before the next one: a rune literal can span two feeds. */
  private before2 = 0;
  private before1 = 0;

  readonly feed = (bytes: Uint8Array, start: number, end: number): void => {
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      if (b === BACKQUOTE) this.count++;
      else if (b === QUOTE && this.before1 === BACKQUOTE && this.before2 === QUOTE) this.count--;
      this.before2 = this.before1;
      this.before1 = b;
    }
  };

  take(): number {
    const count = this.count;
    this.count = this.before1 = this.before2 = 0;
    return count;
  }
}

/**
 * Walks the grep lines one at a time, in bounded memory: what it keeps is the current
 * function and the set of files (at most MAX_GO_FILES, each a copy at most
 * MAX_GO_PATH_BYTES long). `everyLine`: the grep kept every line, so a raw string
 * (backquotes) can be followed and a `}` at column 0 inside one (a JSON body) does not end
 * the function.
 */
export class GoSourceWalker {
  private readonly warnings = new CappedWarnings();
  private readonly files = new Set<string>();
  private readonly packages = new Map<string, string>();
  private filesLeftOut = false;
  private open: string | undefined;
  /** The current file as kept (a copy, see keptText); `openRaw` as the lines spell it. */
  private openFile = '';
  private openRaw: string | undefined;
  private inRawString = false;
  private cutLines = 0;
  private firstCut = '';

  constructor(
    private readonly visitor: GoSourceVisitor,
    private readonly options: { everyLine?: boolean } = {},
  ) {}

  /**
   * One grep line (a trailing `\r` of CRLF output is not part of it). `cutTail`: the line
   * was cut, and how many backquotes the dropped part held (DroppedBackquotes).
   */
  line(raw: string, lineNo: number, cutTail?: { backquotes: number }): void {
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.trim() === '') return;
    const m = grepLine.exec(raw);
    if (!m) {
      this.warnings.add(`not a grep -nH line (FILE.go:LINE:TEXT): ${raw.slice(0, 120)}`, lineNo);
      return;
    }
    const [, rawFile = '', lineText = ''] = m;
    const code = /^\s*\/\//.test(m[3]!) ? '' : m[3]!;
    if (rawFile !== this.openRaw) {
      this.close();
      this.openRaw = rawFile;
      this.openFile = this.kept(rawFile, MAX_GO_PATH_BYTES, 'file path', lineNo);
      this.inRawString = false;
    }
    const file = this.openFile;
    if (!this.files.has(file)) {
      if (this.files.size === MAX_GO_FILES) {
        this.filesLeftOut = true;
        return;
      }
      this.files.add(file);
    }
    if (cutTail && this.cutLines++ === 0) this.firstCut = `input line ${lineNo}, ${file}:${lineText}`;
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    // Inside a raw string nothing is a package clause or a function's start or end.
    const outsideRawString = !this.inRawString;
    // A whole-line comment's backquotes (code '') are prose, its dropped part's too.
    if (this.options.everyLine && code !== '' && (backquotes(code) + (cutTail?.backquotes ?? 0)) % 2 === 1) this.inRawString = !this.inRawString;
    const pkgDecl = outsideRawString ? /^package\s+(\w+)/.exec(code) : null;
    if (pkgDecl) this.packages.set(dir, this.kept(pkgDecl[1]!, MAX_GO_NAME_BYTES, 'package name', lineNo));
    const pkg = this.packages.get(dir) ?? 'main';
    if (outsideRawString && code.startsWith('func ')) {
      this.close();
      this.open = this.kept(functionName(pkg, code), MAX_GO_NAME_BYTES, 'function name', lineNo);
    }
    this.visitor.line({ file, line: Number(lineText), code, function: this.open ?? `${pkg} (package level)`, pkg });
    // A one-line function (`func f() { … }`) closes on its own line.
    if (outsideRawString && (code.startsWith('}') || (code.startsWith('func ') && /}\s*$/.test(code)))) this.close();
  }

  end(): GoSourceWalk {
    this.close();
    if (this.cutLines > 0) {
      const rawStrings = this.options.everyLine ? '; raw strings are still followed (the backquotes of the cut parts were counted)' : '';
      this.warnings.add(`${this.cutLines} lines longer than ${MAX_GO_LINE_BYTES / 1024} KiB were read up to there (the first: ${this.firstCut}): what the rest of those lines held was not audited${rawStrings}`);
    }
    const error: ParseError | undefined = this.filesLeftOut
      ? { code: 'invalid', message: `more than ${MAX_GO_FILES.toLocaleString('en-US')} Go files, the most a source audit reads: the lines of the files after that were left out; grep the service's own packages (a subdirectory) instead of the whole tree` }
      : undefined;
    return { files: this.files, warnings: this.warnings.list(), ...(error ? { error } : {}) };
  }

  /** A copy of `text` as kept (keptText), with a warning when it was cut. */
  private kept(text: string, maxBytes: number, what: string, lineNo: number): string {
    const kept = keptText(text, maxBytes);
    if (kept.cut) this.warnings.add(`a ${what} longer than ${maxBytes} bytes was cut there: ${kept.text.slice(0, 120)}…`, lineNo);
    return kept.text;
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
    const dropped = new DroppedBackquotes();
    const lines = new TextLines(MAX_GO_LINE_BYTES, skipBom, (line, number, cut) => walker.line(line, number, cut ? { backquotes: dropped.take() } : undefined), dropped.feed);
    return {
      write: (chunk) => lines.write(chunk),
      end: () => {
        lines.end();
        const walk = walker.end();
        const parsed = result(walk);
        return walk.error === undefined || parsed.error !== undefined ? parsed : { ...parsed, error: walk.error };
      },
    };
  };
  const { everyLine: _everyLine, open: _open, ...described } = audit;
  return { ...described, parse: (input) => parseWhole(input, stream), stream: () => stream(true) };
}
