// A goroutine dump (debug=1 or debug=2) read in chunks into groups of identical stacks.
// Both formats group by the same signature — the non-runtime frames — because they show
// different runtime frames: debug=1 omits leading runtime.* frames and runtime.goexit but
// prints runtime.main at the bottom, while the debug=2 traceback hides runtime.main and
// goexit. So a debug=1 dump can be diffed against a debug=2 one.
// Memory is bounded by the groups, not the dump: a service leaking a million goroutines
// writes a debug=2 dump of 1–2 GB whose groups are a handful of stacks, so each goroutine
// is folded into its group as soon as its block ends (docs/parsers.md § goroutines).
import { ChunkLines } from '../chunk-lines.js';
import type { ParseWarning } from '../types.js';
import { DEBUG1_HEADER, Debug1Reader, type Debug1Record } from './profile-debug1.js';
import { StackDumpReader, type DumpedGoroutine, type StackFrame } from './stack-dump.js';

export interface GoroutineGroup {
  signature: string;
  count: number;
  frames: StackFrame[];
  /** debug=2 only: goroutines per state. */
  states: Record<string, number>;
  waitMinutesMax: number | null;
  waitMinutesMin: number | null;
  createdBy: string | null;
  /** debug=2 only: file:line of the \`go\` statement in the creator. */
  createdAt: string | null;
  ids: number[];
}

export interface GoroutineSnapshot {
  format: 'debug=1' | 'debug=2';
  total: number;
  groups: GoroutineGroup[];
  truncated: boolean;
  warnings: ParseWarning[];
}

export const isRuntime = (f: StackFrame): boolean => f.func.startsWith('runtime.');

/** A dump line is a few hundred bytes; a longer one is read up to here (bounded memory on input without newlines). */
const MAX_LINE_BYTES = 2 ** 20;
/** Warnings are about the input, not a copy of it (a broken 2 GB dump would warn per line). */
const MAX_WARNINGS = 50;
/** The header of a debug=1 profile is looked for in this many characters of text. */
const FORMAT_PREFIX_CHARS = 4096;
/** Any line that starts a goroutine block makes the input a debug=2 dump. */
const GOROUTINE_LINE = /^goroutine \d+ /m;
const ID_LIMIT = 5;

/** Non-runtime frames; all but runtime.goexit when the goroutine never leaves the runtime. */
function signatureOf(stack: StackFrame[]): string {
  const own = stack.filter((f) => !isRuntime(f));
  const frames = own.length > 0 ? own : stack.filter((f) => f.func !== 'runtime.goexit');
  return frames.map((f) => `${f.func} ${f.file}:${f.line}`).join('\n');
}

function byCountDesc(a: GoroutineGroup, b: GoroutineGroup): number {
  return b.count - a.count || (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0);
}

function newGroup(signature: string, frames: StackFrame[], createdBy: StackFrame | null): GoroutineGroup {
  return {
    signature,
    count: 0,
    frames,
    states: {},
    waitMinutesMax: null,
    waitMinutesMin: null,
    createdBy: createdBy?.func ?? null,
    createdAt: createdBy && createdBy.file !== '' ? `${createdBy.file}:${createdBy.line}` : null,
    ids: [],
  };
}

/**
 * Fed the dump in chunks (each may be a reused buffer: lines are decoded to strings, nothing
 * keeps the bytes); `end` gives the snapshot, or null when the text is neither format. Lines
 * are numbered as in the whole text split at `\n`, so warnings point where they did.
 */
export class GoroutineSnapshotStream {
  private readonly lines: ChunkLines;
  private readonly groups = new Map<string, GoroutineGroup>();
  private readonly warnings: ParseWarning[] = [];
  private warningsDropped = 0;
  private lineNo = 0;
  private cutLines = 0;
  private cutFirstLine = 0;
  private endsWithNewline = false;
  /** Lines held until the format is known (the first FORMAT_PREFIX_CHARS of text), then replayed. */
  private pending: string[] | null = [];
  private pendingChars = -1;
  private debug1: Debug1Reader | null = null;
  private debug2: StackDumpReader | null = null;
  private sawGoroutineLine = false;
  /** debug=1: goroutines its records count; debug=2: goroutines read. */
  private counted = 0;
  private readonly warn = (warning: ParseWarning): void => {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(warning);
    else this.warningsDropped++;
  };
  private readonly visit = (bytes: Buffer, start: number, end: number, cut: boolean): void => {
    const lineNo = ++this.lineNo;
    if (cut && this.cutLines++ === 0) this.cutFirstLine = lineNo;
    this.line(bytes.toString('utf8', start, end), lineNo);
  };

  constructor(skipBom: boolean) {
    this.lines = new ChunkLines(MAX_LINE_BYTES, skipBom);
  }

  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.endsWithNewline = chunk[chunk.length - 1] === 10;
    this.lines.write(chunk, this.visit);
  }

  end(): GoroutineSnapshot | null {
    const before = this.lineNo;
    this.lines.end(this.visit);
    // The text split at `\n` ends with an empty line after a final newline (or when empty).
    if (this.lineNo === before) this.line('', ++this.lineNo);
    if (this.pending) this.decide(this.pending.join('\n'));
    const debug1 = this.debug1;
    if (debug1) debug1.end();
    else if (!this.sawGoroutineLine) return null;
    const truncated = debug1 ? debug1.total !== null && this.counted < debug1.total : this.debug2!.end(this.lineNo, this.endsWithNewline);
    const warnings = this.warnings;
    if (this.warningsDropped > 0) warnings.push({ message: `${this.warningsDropped} more warnings not shown (first ${MAX_WARNINGS} kept)` });
    if (this.cutLines > 0) {
      warnings.push({ line: this.cutFirstLine, message: `${this.cutLines} lines longer than ${MAX_LINE_BYTES / 2 ** 20} MiB: only their first ${MAX_LINE_BYTES / 2 ** 20} MiB were read` });
    }
    const groups = [...this.groups.values()].sort(byCountDesc);
    const counted = this.counted;
    if (debug1) {
      const total = debug1.total;
      // net/http/pprof writes the whole debug=1 body at once; fewer records than the header says means a cut.
      if (truncated) warnings.push({ message: `records account for ${counted} of ${total} goroutines: dump cut short` });
      if (total !== null && counted > total) warnings.push({ message: `records count ${counted} goroutines, header says ${total}` });
      return { format: 'debug=1', total: total ?? counted, groups, truncated, warnings };
    }
    if (truncated) warnings.push({ message: 'the dump ends inside a goroutine (net/http/pprof cuts debug=2 at 64 MB): counts are a lower bound' });
    return { format: 'debug=2', total: counted, groups, truncated, warnings };
  }

  private line(text: string, lineNo: number): void {
    if (this.pending) {
      this.pending.push(text);
      this.pendingChars += text.length + 1;
      if (this.pendingChars >= FORMAT_PREFIX_CHARS) this.decide(this.pending.join('\n'));
      return;
    }
    if (this.debug1) {
      this.debug1.line(text, lineNo);
      return;
    }
    if (!this.sawGoroutineLine && GOROUTINE_LINE.test(text)) this.sawGoroutineLine = true;
    this.debug2!.line(text, lineNo);
  }

  /** The format from the start of the text, then the lines held so far in it. */
  private decide(prefix: string): void {
    const held = this.pending!;
    this.pending = null;
    if (DEBUG1_HEADER.test(prefix.slice(0, FORMAT_PREFIX_CHARS))) this.debug1 = new Debug1Reader((r) => this.addRecord(r), this.warn);
    else this.debug2 = new StackDumpReader((g) => this.addGoroutine(g), this.warn);
    held.forEach((text, i) => this.line(text, i + 1));
  }

  private addRecord(r: Debug1Record): void {
    this.counted += r.count;
    const signature = signatureOf(r.frames);
    let group = this.groups.get(signature);
    if (!group) {
      group = newGroup(signature, r.frames, null);
      this.groups.set(signature, group);
    }
    group.count += r.count;
  }

  private addGoroutine(g: DumpedGoroutine): void {
    this.counted++;
    const signature = signatureOf(g.stack);
    let group = this.groups.get(signature);
    if (!group) {
      group = newGroup(signature, g.stack, g.createdBy);
      this.groups.set(signature, group);
    }
    group.count++;
    group.states[g.state] = (group.states[g.state] ?? 0) + 1;
    group.waitMinutesMax = Math.max(group.waitMinutesMax ?? 0, g.waitMinutes);
    group.waitMinutesMin = Math.min(group.waitMinutesMin ?? Infinity, g.waitMinutes);
    if (group.ids.length < ID_LIMIT) group.ids.push(g.id);
  }
}
