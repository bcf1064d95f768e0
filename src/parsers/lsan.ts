// LeakSanitizer's report (an `go build -asan` binary's stderr at exit, or after
// __lsan_do_leak_check) → the leaks by allocating stack, largest first:
//   ==PID==ERROR: LeakSanitizer: detected memory leaks
//   Direct leak of 16777216 byte(s) in 16 object(s) allocated from:
//       #0 0x7f54… in __interceptor_malloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:69
//       #1 0x8d884f in hold_block /_/leaky@/mode_cgo.go:27
//       #2 0x46f203 in runtime.asmcgocall runtime/asm_amd64.s:844
//   SUMMARY: AddressSanitizer: 16777216 byte(s) leaked in 16 allocation(s).
// Frames end in `file:line[:col]`, `(module+0xOFF)` with an optional `(BuildId: …)`, or
// nothing. The stack stops at runtime.asmcgocall: LSan does not walk Go frames, so a
// C.CString / C.CBytes / C.malloc made from Go shows as cgo's `_Cfunc__Cmalloc` and the
// Go caller has to come from the uprobe trace or the source audit. Lines may carry a log
// prefix or sit among the service's own output: records are matched anywhere in a line.
import { isCgoPlumbing } from './c-allocs.js';
import { BlankInput } from './blank-input.js';
import { CappedWarnings } from './capped-warnings.js';
import { parseWhole } from './chunk-lines.js';
import { TextLines } from './text-lines.js';
import type { FactValue, ParseResult, ParseStream, StreamingParser } from './types.js';

interface Frame {
  function: string;
  location?: string;
}

interface Leak {
  kind: 'direct' | 'indirect';
  bytes: number;
  objects: number;
  frames: Frame[];
}

const header = /(Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object\(s\) allocated from:/;
const frameLine = /#(\d+) 0x[0-9a-f]+ (?:in (\S+))?\s*(.*)$/;
const summaryLine = /SUMMARY: \w+Sanitizer: (\d+) byte\(s\) leaked in (\d+) allocation\(s\)/;
/** Report lines are short; a longer one (application output) is read up to here. */
const MAX_LINE_BYTES = 2 ** 20;
const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

/** The sanitizer's own frames (its malloc interceptor), never the allocation site. */
function isSanitizer(frame: Frame): boolean {
  return /^(__interceptor_|__asan_|__lsan_|___interceptor_)|^(malloc|calloc|realloc|operator new.*)$/.test(frame.function) || /libsanitizer|compiler-rt/.test(frame.location ?? '');
}

function location(rest: string): string | undefined {
  const text = rest.replace(/\s*\(BuildId: [0-9a-f]+\)\s*$/, '').trim();
  if (text === '') return undefined;
  return text.replace(/^\((.*)\)$/, '$1');
}

/** The first frame past the sanitizer and cgo's plumbing: the code that allocated. */
function site(leak: Leak): string {
  const own = leak.frames.find((f) => !isSanitizer(f) && !isCgoPlumbing(f.function, f.location));
  if (own) return own.location ? `${own.function} (${own.location})` : own.function;
  if (leak.frames.some((f) => /_Cfunc__C(malloc|String|Bytes)/.test(f.function))) {
    return 'a C.CString, C.CBytes or C.malloc made from Go (LeakSanitizer does not walk Go frames: the uprobe trace or the source audit names the caller)';
  }
  const first = leak.frames.find((f) => !isSanitizer(f));
  return first ? `${first.function}${first.location ? ` (${first.location})` : ''}` : 'no stack frames in the report';
}

/** The report read line by line out of chunks (a process's stderr can hold any amount of log
 *  before it): what is kept is the leak records. */
class LsanStream implements ParseStream {
  private readonly lines: TextLines;
  private readonly blank = new BlankInput();
  private readonly warnings = new CappedWarnings();
  private readonly leaks: Leak[] = [];
  private current: Leak | undefined;
  private reported = false;
  private summary: { bytes: number; allocations: number } | undefined;

  constructor(skipBom: boolean) {
    this.lines = new TextLines(MAX_LINE_BYTES, skipBom, (line, number) => this.line(line, number));
  }

  write(chunk: Uint8Array): void {
    this.blank.feed(chunk);
    this.lines.write(chunk);
  }

  private line(line: string, lineNo: number): void {
    if (line.includes('ERROR: LeakSanitizer:')) this.reported = true;
    const opened = header.exec(line);
    if (opened) {
      this.current = { kind: opened[1] === 'Direct' ? 'direct' : 'indirect', bytes: Number(opened[2]), objects: Number(opened[3]), frames: [] };
      this.leaks.push(this.current);
      return;
    }
    const total = summaryLine.exec(line);
    if (total) {
      this.summary = { bytes: Number(total[1]), allocations: Number(total[2]) };
      this.current = undefined;
      return;
    }
    const current = this.current;
    const frame = current ? frameLine.exec(line) : null;
    if (current && frame) {
      if (Number(frame[1]) !== current.frames.length) this.warnings.add(`frame #${frame[1]} out of order`, lineNo);
      const where = location(frame[3] ?? '');
      current.frames.push({ function: frame[2] ?? 'unsymbolised', ...(where !== undefined ? { location: where } : {}) });
    } else if (current && line.trim() === '' && current.frames.length > 0) {
      this.current = undefined;
    }
  }

  end(): ParseResult {
    this.lines.end();
    if (this.blank.isBlank()) return { facts: {}, warnings: [], error: { code: 'empty', message: 'no input: expected the stderr of an -asan build, with LeakSanitizer\'s report' } };
    const { leaks, reported, summary } = this;
    const warnings = this.warnings.list();
    if (!reported && leaks.length === 0) {
      // A clean exit of an -asan build prints nothing: no report is no leak found, if it ran.
      warnings.push({ message: 'no LeakSanitizer report: no leak was found at exit, or the leak check did not run (ASAN_OPTIONS=detect_leaks=0, a crash, or Go < 1.25 without __lsan_do_leak_check)' });
    }
    if (reported && !summary) warnings.push({ message: 'no SUMMARY line: the report was cut short; leaks after the cut are missing' });
    leaks.sort((a, b) => b.bytes - a.bytes);
    const sum = (kind: Leak['kind']): number => leaks.filter((l) => l.kind === kind).reduce((s, l) => s + l.bytes, 0);
    const rows: FactValue[] = leaks.map((l) => ({
      kind: l.kind,
      bytes: l.bytes,
      mb: mb(l.bytes),
      objects: l.objects,
      site: site(l),
      stack: l.frames.filter((f) => !isSanitizer(f)).map((f) => (f.location ? `${f.function} (${f.location})` : f.function)).join(' ← '),
    }));
    const top = leaks[0];
    const facts: Record<string, FactValue> = {
      reported,
      leaks: leaks.length,
      direct_mb: mb(sum('direct')),
      indirect_mb: mb(sum('indirect')),
      leaked_bytes: summary?.bytes ?? sum('direct') + sum('indirect'),
      leaked_allocations: summary?.allocations ?? leaks.reduce((s, l) => s + l.objects, 0),
      stacks: rows,
      top_site: top ? site(top) : 'no leak reported',
      top_mb: top ? mb(top.bytes) : 0,
      top_objects: top ? top.objects : 0,
      top_kind: top ? top.kind : 'none',
      finding: top
        ? `${mb(top.bytes)} MiB in ${top.objects} objects (${top.kind}) from ${site(top)}; ${leaks.length} leaking stack${leaks.length === 1 ? '' : 's'}, ${mb(sum('direct') + sum('indirect'))} MiB in all`
        : reported ? 'a LeakSanitizer header with no leak records (cut short?)' : 'LeakSanitizer reported no leak at exit',
    };
    return { facts, warnings };
  }
}

export const lsanParser: StreamingParser = {
  name: 'lsan',
  summary: 'LeakSanitizer report (go build -asan, at exit): leaks by allocating stack, bytes and objects, largest first',
  keyFacts: ['leaks', 'direct_mb', 'indirect_mb', 'top_site', 'top_mb'],
  parse: (input) => parseWhole(input, (skipBom) => new LsanStream(skipBom)),
  stream: () => new LsanStream(true),
};
