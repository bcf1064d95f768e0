// goroutine?debug=2 (runtime.Stack(all) / panic traceback format) → goroutines.
// Shape (runtime/traceback.go, go1.19–1.25):
//   goroutine 29 [chan receive, 5 minutes, locked to thread]:
//   pkg.fn(args…)                       ← function line; `(...)` when inlined
//   \t/path/file.go:123 +0x3d           ← file line; the offset is optional
//   ...additional frames elided...      ← more than 100 frames
//   created by pkg.fn in goroutine 7    ← " in goroutine N" since Go 1.21
//   [originating from goroutine 24]:    ← GODEBUG=tracebackancestors
// A dump can be cut anywhere (net/http/pprof stops at 64 MB): the goroutine being written
// when the input ends is kept, marked incomplete, with a warning.
import type { ParseWarning } from '../types.js';

export interface StackFrame {
  func: string;
  file: string;
  line: number;
}

export interface DumpedGoroutine {
  id: number;
  state: string;
  waitMinutes: number;
  lockedToThread: boolean;
  stack: StackFrame[];
  framesElided: boolean;
  createdBy: StackFrame | null;
  createdByGoroutine: number | null;
  ancestor: DumpedGoroutine | null;
  /** "goroutine running on other thread; stack unavailable" (crash tracebacks). */
  stackUnavailable: boolean;
  /** A line of this goroutine was malformed or missing (gostackparse drops such goroutines). */
  incomplete: boolean;
}

const HEADER = /^goroutine (\d{1,19})(?: [^[]*)? \[(.*)\]:\s*$/;
const ANCESTOR = /^\[originating from goroutine (\d{1,19})\]:\s*$/;
const CREATED_BY = /^created by (.+?)(?: in goroutine (\d{1,19}))?\s*$/;
const FILE_LINE = /^\t(.*):(\d{1,10})(?: \+0x[0-9a-f]+)?(?: .*)?$/;
// Crash tracebacks (GOTRACEBACK=all) print this instead of frames for a running goroutine.
const STACK_UNAVAILABLE = /^goroutine running on other thread; stack unavailable\s*$/;
const ELIDED = /^\.\.\.(?:additional frames elided|\d+ frames elided)\.\.\.\s*$/;

function newGoroutine(id: number, state: string): DumpedGoroutine {
  const parts = state.split(', ');
  let waitMinutes = 0;
  let lockedToThread = false;
  const rest: string[] = [];
  for (const part of parts.slice(1)) {
    const wait = /^(\d{1,19}) minutes$/.exec(part);
    if (wait) waitMinutes = Number(wait[1]);
    else if (part === 'locked to thread') lockedToThread = true;
    else rest.push(part);
  }
  return {
    id,
    state: [parts[0] ?? '', ...rest].join(', '),
    waitMinutes,
    lockedToThread,
    stack: [],
    framesElided: false,
    createdBy: null,
    createdByGoroutine: null,
    ancestor: null,
    stackUnavailable: false,
    incomplete: false,
  };
}

/** `pkg.(*T).fn(0x1, …)` → `pkg.(*T).fn`; null when the line is not a call. */
function functionName(line: string): string | null {
  const open = line.lastIndexOf('(');
  if (open <= 0 || !line.endsWith(')')) return null;
  const name = line.slice(0, open);
  return /\s/.test(name) ? null : name;
}

/**
 * Reads a debug=2 dump a line at a time and hands each goroutine to `onGoroutine` once its
 * block is closed (nothing changes it after that), so a dump of any size keeps only the
 * goroutine being read.
 */
export class StackDumpReader {
  private top: DumpedGoroutine | null = null; // the goroutine whose block we are in
  private current: DumpedGoroutine | null = null; // it, or its innermost ancestor being read
  private pendingFunc: { name: string; createdBy: boolean; goroutine: number | null } | null = null;
  private lastFailLine = 0;
  /** The last goroutine read: whether it broke, for `truncated`. */
  private last: DumpedGoroutine | null = null;

  constructor(
    private readonly onGoroutine: (g: DumpedGoroutine) => void,
    private readonly warn: (warning: ParseWarning) => void,
  ) {}

  private fail(message: string, lineNo: number): void {
    this.warn({ message, line: lineNo });
    this.lastFailLine = lineNo;
    if (this.top) this.top.incomplete = true;
  }

  private close(lineNo: number): void {
    if (this.pendingFunc) this.fail(`invalid file:line ref on line ${lineNo}: ""`, lineNo);
    this.pendingFunc = null;
    if (this.top) this.onGoroutine(this.top);
    this.top = null;
    this.current = null;
  }

  /** One line of the text split at `\n` (a trailing `\r` is dropped here); `lineNo` is 1-based. */
  line(raw: string, lineNo: number): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const header = line.startsWith('goroutine ') ? HEADER.exec(line) : null;
    if (header) {
      if (this.top) this.close(lineNo);
      this.top = this.current = this.last = newGoroutine(Number(header[1]), header[2]!);
      return;
    }
    const top = this.top;
    if (!top || !this.current) {
      if (line.trim() !== '') this.warn({ message: `not part of a goroutine block: ${JSON.stringify(line.slice(0, 80))}`, line: lineNo });
      return;
    }
    const g: DumpedGoroutine = this.current;
    // Like gostackparse: after the first bad line, the rest of the block is not trusted.
    if (top.incomplete && line.trim() !== '') return;
    const pendingFunc = this.pendingFunc;
    if (pendingFunc) {
      const fileLine = FILE_LINE.exec(line);
      if (!fileLine) {
        this.fail(`invalid file:line ref on line ${lineNo}: ${JSON.stringify(line)}`, lineNo);
        this.pendingFunc = null;
        if (line.trim() === '') this.close(lineNo);
        return;
      }
      const frame = { func: pendingFunc.name, file: fileLine[1]!, line: Number(fileLine[2]) };
      if (pendingFunc.createdBy) {
        g.createdBy = frame;
        g.createdByGoroutine = pendingFunc.goroutine;
      } else {
        g.stack.push(frame);
      }
      this.pendingFunc = null;
      return;
    }
    if (STACK_UNAVAILABLE.test(line)) {
      g.stackUnavailable = true;
      return;
    }
    if (line.trim() === '') {
      if (g.stack.length === 0 && !g.stackUnavailable && !g.incomplete) this.fail(`invalid function call on line ${lineNo}: ""`, lineNo);
      this.close(lineNo);
      return;
    }
    if (ELIDED.test(line)) {
      g.framesElided = true;
      return;
    }
    const ancestor = ANCESTOR.exec(line);
    if (ancestor) {
      const next = newGoroutine(Number(ancestor[1]), '');
      g.ancestor = next;
      this.current = next;
      return;
    }
    const createdBy = CREATED_BY.exec(line);
    if (createdBy) {
      this.pendingFunc = { name: createdBy[1]!, createdBy: true, goroutine: createdBy[2] ? Number(createdBy[2]) : null };
      return;
    }
    const name = functionName(line);
    if (name === null) {
      this.fail(`invalid function call on line ${lineNo}: ${JSON.stringify(line)}`, lineNo);
      return;
    }
    this.pendingFunc = { name, createdBy: false, goroutine: null };
  }

  /**
   * After the last line (`lines` of them, counting the empty one after a final newline):
   * whether the input ended inside a goroutine — it stops mid-line, or the last goroutine
   * broke on its final lines.
   */
  end(lines: number, endsWithNewline: boolean): boolean {
    if (this.top) this.close(lines);
    const last = this.last;
    return last !== null && (!endsWithNewline || (last.incomplete && this.lastFailLine >= lines - 1));
  }
}
