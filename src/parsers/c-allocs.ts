// c_allocs.json (the c_allocs collector: uprobes on malloc/calloc/free, outstanding bytes
// by call stack, symbolised) → the call sites holding the C memory allocated during the
// trace. A site is the first Go frame that is the service's own code: the cgo plumbing
// (runtime.*, main._Cfunc_*, _cgo_* in _cgo_gotypes.go) is skipped, so a C.CString leak
// names the function that called C.CString, with its file:line. `c_function` is the C
// function that called malloc (a preamble helper such as hold_block, or _cgo's CMalloc).
import { sourceLineKey } from './cgo-audit.js';
import { asText } from './input.js';
import type { FactValue, ParseResult, ParseWarning, Parser, ParserInput } from './types.js';

interface FrameIn {
  address?: unknown;
  function?: unknown;
  file_line?: unknown;
  inlined_in?: unknown;
}

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** cgo's generated plumbing between a Go caller and its C function. */
export function isCgoPlumbing(fn: string, fileLine: string | undefined): boolean {
  return fn.startsWith('runtime.') || /\._Cfunc_|\._cgo_|^_cgo_/.test(fn) || (fileLine ?? '').includes('_cgo_gotypes.go');
}

function describe(frame: FrameIn | undefined): { function: string; file_line?: string } {
  const fn = str(frame?.function);
  const fileLine = str(frame?.file_line)?.replace(/^\.\//, '');
  if (fn === undefined || fn === '??') return { function: `unsymbolised ${str(frame?.address) ?? 'frame'}` };
  return fileLine ? { function: fn, file_line: fileLine } : { function: fn };
}

const where = (d: { function: string; file_line?: string }): string => (d.file_line ? `${d.function} (${d.file_line})` : d.function);

export const cAllocsParser: Parser = {
  name: 'c-allocs',
  summary: 'c_allocs.json (uprobes on malloc/free): C bytes still held at the end of the trace, by Go call site and C caller',
  keyFacts: ['top_site', 'top_mb', 'top_share', 'outstanding_mb', 'outstanding_mb_per_s', 'mallocs', 'duration_s'],
  parse(input: ParserInput): ParseResult {
    const text = asText(input);
    const warnings: ParseWarning[] = [];
    if (text.trim() === '') return { facts: {}, warnings, error: { code: 'empty', message: 'no input: expected c_allocs.json from the c_allocs collector' } };
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      return { facts: {}, warnings, error: { code: 'unrecognised-format', message: `not JSON: ${(error as Error).message}` } };
    }
    if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { stacks?: unknown }).stacks) || typeof (doc as { duration_s?: unknown }).duration_s !== 'number') {
      return { facts: {}, warnings, error: { code: 'unrecognised-format', message: 'not a c_allocs trace: expected an object with "duration_s" and "stacks"' } };
    }
    const trace = doc as Record<string, unknown> & { stacks: unknown[] };
    const seconds = num(trace['duration_s']);
    // Outstanding bytes were allocated in the first duration − min_age seconds.
    const window = Math.max(seconds - num(trace['min_age_s']), 0);
    const outstanding = num(trace['outstanding_bytes']);
    const sites: FactValue[] = [];
    trace.stacks.forEach((raw, index) => {
      if (typeof raw !== 'object' || raw === null) {
        warnings.push({ message: `stack ${index + 1} is not an object` });
        return;
      }
      const stack = raw as { bytes?: unknown; count?: unknown; c_caller?: FrameIn; go_frames?: unknown };
      const goFrames = (Array.isArray(stack.go_frames) ? stack.go_frames : []).filter((f): f is FrameIn => typeof f === 'object' && f !== null);
      const described = goFrames.map(describe);
      const own = described.find((d) => !isCgoPlumbing(d.function, d.file_line));
      const cCaller = describe(stack.c_caller);
      const site = own ?? (described.length > 0 ? described[described.length - 1]! : cCaller);
      const bytes = num(stack.bytes);
      sites.push({
        mb: mb(bytes),
        bytes,
        count: num(stack.count),
        share: outstanding > 0 ? Math.round((bytes / outstanding) * 1000) / 1000 : 0,
        function: site.function,
        file_line: site.file_line ?? 'no line table (binary without DWARF)',
        site: where(site),
        ...(site.file_line ? { source_line: sourceLineKey(site.file_line) } : {}),
        c_function: cCaller.function,
        c_file_line: cCaller.file_line ?? 'no line table',
        stack: described.map(where).join(' ← ') || 'no Go frames (malloc called from a C thread)',
      });
    });
    for (const message of Array.isArray(trace['warnings']) ? trace['warnings'] : []) if (typeof message === 'string') warnings.push({ message });
    if (trace['map_full'] === true) warnings.push({ message: 'the trace map filled up: more allocations were outstanding than it could hold, the bytes are a lower bound' });
    const top = sites[0] as Record<string, FactValue> | undefined;
    const facts: Record<string, FactValue> = {
      tool: str(trace['tool']) ?? 'bpftrace',
      duration_s: seconds,
      mallocs: num(trace['mallocs']),
      frees: num(trace['frees']),
      malloc_mb: mb(num(trace['malloc_bytes'])),
      outstanding_mb: mb(outstanding),
      outstanding_count: num(trace['outstanding_count']),
      outstanding_mb_per_s: window > 0 ? Math.round((outstanding / 1048576 / window) * 100) / 100 : 0,
      window_s: Math.round(window * 10) / 10,
      go_stacks: trace['go_stacks'] === true,
      symbols: str(trace['symbols']) ?? 'stripped',
      sites,
      top_site: top ? top['site']! : 'nothing outstanding',
      top_function: top ? top['function']! : 'nothing outstanding',
      top_file_line: top ? top['file_line']! : 'nothing outstanding',
      top_c_function: top ? top['c_function']! : 'nothing outstanding',
      top_stack: top ? top['stack']! : 'nothing outstanding',
      ...(top?.['source_line'] !== undefined ? { top_source_line: top['source_line'] } : {}),
      top_mb: top ? top['mb']! : 0,
      top_share: top ? top['share']! : 0,
    };
    facts['summary'] =
      `${facts['mallocs']} mallocs (${facts['malloc_mb']} MiB) and ${facts['frees']} frees in ${seconds} s of uprobes; ` +
      `of the allocations made in the first ${facts['window_s']} s, ${facts['outstanding_mb']} MiB (${facts['outstanding_mb_per_s']} MiB/s) were still allocated at the end`;
    return { facts, warnings };
  },
};
