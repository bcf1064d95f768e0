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

export interface StackDump {
  goroutines: DumpedGoroutine[];
  warnings: ParseWarning[];
  /** The input ended inside a goroutine block. */
  truncated: boolean;
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

export function parseStackDump(text: string): StackDump {
  const lines = text.split('\n');
  const goroutines: DumpedGoroutine[] = [];
  const warnings: ParseWarning[] = [];
  let top: DumpedGoroutine | null = null; // the goroutine whose block we are in
  let current: DumpedGoroutine | null = null; // it, or its innermost ancestor being read
  let pendingFunc: { name: string; createdBy: boolean; goroutine: number | null } | null = null;

  let lastFailLine = 0;
  const fail = (message: string, lineNo: number): void => {
    warnings.push({ message, line: lineNo });
    lastFailLine = lineNo;
    if (top) top.incomplete = true;
  };
  const close = (lineNo: number): void => {
    if (pendingFunc) fail(`invalid file:line ref on line ${lineNo}: ""`, lineNo);
    pendingFunc = null;
    top = null;
    current = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!.replace(/\r$/, '');
    const header = HEADER.exec(line);
    if (header) {
      if (top) close(lineNo);
      top = current = newGoroutine(Number(header[1]), header[2]!);
      goroutines.push(top);
      continue;
    }
    if (!top || !current) {
      if (line.trim() !== '') warnings.push({ message: `not part of a goroutine block: ${JSON.stringify(line.slice(0, 80))}`, line: lineNo });
      continue;
    }
    const g: DumpedGoroutine = current;
    // Like gostackparse: after the first bad line, the rest of the block is not trusted.
    if (top.incomplete && line.trim() !== '') continue;
    if (pendingFunc) {
      const fileLine = FILE_LINE.exec(line);
      if (!fileLine) {
        fail(`invalid file:line ref on line ${lineNo}: ${JSON.stringify(line)}`, lineNo);
        pendingFunc = null;
        if (line.trim() === '') close(lineNo);
        continue;
      }
      const frame = { func: pendingFunc.name, file: fileLine[1]!, line: Number(fileLine[2]) };
      if (pendingFunc.createdBy) {
        g.createdBy = frame;
        g.createdByGoroutine = pendingFunc.goroutine;
      } else {
        g.stack.push(frame);
      }
      pendingFunc = null;
      continue;
    }
    if (STACK_UNAVAILABLE.test(line)) {
      g.stackUnavailable = true;
      continue;
    }
    if (line.trim() === '') {
      if (g.stack.length === 0 && !g.stackUnavailable && !g.incomplete) fail(`invalid function call on line ${lineNo}: ""`, lineNo);
      close(lineNo);
      continue;
    }
    if (ELIDED.test(line)) {
      g.framesElided = true;
      continue;
    }
    const ancestor = ANCESTOR.exec(line);
    if (ancestor) {
      const next = newGoroutine(Number(ancestor[1]), '');
      g.ancestor = next;
      current = next;
      continue;
    }
    const createdBy = CREATED_BY.exec(line);
    if (createdBy) {
      pendingFunc = { name: createdBy[1]!, createdBy: true, goroutine: createdBy[2] ? Number(createdBy[2]) : null };
      continue;
    }
    const name = functionName(line);
    if (name === null) {
      fail(`invalid function call on line ${lineNo}: ${JSON.stringify(line)}`, lineNo);
      continue;
    }
    pendingFunc = { name, createdBy: false, goroutine: null };
  }
  if (top) close(lines.length);
  // Cut short: the input stops mid-line, or the last goroutine broke on its final lines.
  const last = goroutines[goroutines.length - 1];
  const truncated = last !== undefined && (!text.endsWith('\n') || (last.incomplete && lastFailLine >= lines.length - 1));
  return { goroutines, warnings, truncated };
}
