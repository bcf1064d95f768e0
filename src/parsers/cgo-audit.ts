// `grep -rnH` over a Go source tree, for `package`, top-level `func` and closing `}` lines
// and every C.CString / C.CBytes / C.malloc / C.calloc / C.realloc / C.free call → each C
// allocation with its file:line, the function it is in, and whether that function frees
// what it got (a C.free of the same variable, deferred or not). Go never frees C memory:
// an allocation whose function has no C.free either hands it to C (which must free it),
// keeps it somewhere freed later, or leaks.
//
// gofmt'd code opens a top-level function at column 0 (`func …`) and closes it there
// (`}`), so the grep lines alone delimit functions; closures belong to their enclosing
// function. `by_line` is keyed by `file.go:LINE`, the form a traced call site can be
// looked up by (the c-allocs parser's `top_source_line`).
import { asText } from './input.js';
import type { FactValue, ParseResult, ParseWarning, Parser, ParserInput } from './types.js';

interface Allocation {
  file: string;
  line: number;
  function: string;
  call: string;
  /** What the result was assigned to (`cs`, `s.buf`), or undefined when passed straight on. */
  variable?: string;
  freed: boolean;
  deferred: boolean;
}

interface OpenFunction {
  name: string;
  allocations: Allocation[];
  /** Expressions passed to C.free, and whether that free is deferred. */
  frees: Map<string, boolean>;
}

const allocCall = /\bC\.(CString|CBytes|malloc|calloc|realloc)\(/g;
const freeCall = /\bC\.free\(\s*(?:unsafe\.Pointer\(\s*)?([\w.]+)/g;
/** `x :=`, `x =`, `var x =`, `s.buf =`, `x, err :=` before the call on the same line. */
const assignment = /^\s*(?:var\s+)?([\w.]+)(?:\s*,\s*[\w.]+)*(?:\s+[\w.*[\]]+)?\s*:?=(?!=)/;
const funcLine = /^func\s+(?:\(\s*(?:\w+\s+)?(\*?)\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*)?(\w+)/;
const listed = 10;

/** `file.go:LINE`, the key a traced call site is looked up by. */
export function sourceLineKey(fileLine: string): string {
  return fileLine.split('/').pop() ?? fileLine;
}

function functionName(pkg: string, line: string): string {
  const m = funcLine.exec(line);
  if (!m) return `${pkg}.(function)`;
  const [, pointer, receiver, name] = m;
  if (receiver === undefined) return `${pkg}.${name}`;
  return pointer ? `${pkg}.(*${receiver}).${name}` : `${pkg}.${receiver}.${name}`;
}

function describe(a: Allocation): string {
  const at = `${a.file}:${a.line}`;
  if (a.freed) return `C.${a.call} in ${a.function} (${at}) is freed there${a.deferred ? ' (deferred)' : ''}`;
  if (a.variable === undefined) return `C.${a.call} in ${a.function} (${at}) is passed straight on and never freed in Go: only the C side can free it`;
  return `C.${a.call} in ${a.function} (${at}) is never freed there: no C.free of ${a.variable} in the function`;
}

export const cgoAuditParser: Parser = {
  name: 'cgo-audit',
  summary: 'grep -rnH of a Go tree for func/}/C.CString|CBytes|malloc|calloc|realloc|free: each C allocation with file:line, its function, and whether that function frees it',
  keyFacts: ['allocations', 'unfreed', 'freed', 'unfreed_list'],
  parse(input: ParserInput): ParseResult {
    const text = asText(input);
    const warnings: ParseWarning[] = [];
    const allocations: Allocation[] = [];
    const packages = new Map<string, string>();
    let open: OpenFunction | undefined;
    let openFile = '';
    const close = (): void => {
      if (!open) return;
      for (const a of open.allocations) {
        const freedAs = a.variable !== undefined ? open.frees.get(a.variable) : undefined;
        a.freed = freedAs !== undefined;
        a.deferred = freedAs === true;
      }
      open = undefined;
    };
    const files = new Set<string>();
    let lineNo = 0;
    for (const raw of text.split('\n')) {
      lineNo++;
      if (raw.trim() === '') continue;
      const m = /^(.*?\.go):(\d+):(.*)$/.exec(raw);
      if (!m) {
        warnings.push({ message: `not a grep -nH line (FILE.go:LINE:TEXT): ${raw.slice(0, 120)}`, line: lineNo });
        continue;
      }
      const [, file = '', lineText = ''] = m;
      // A whole-line comment is prose ("every C.CString needs a C.free(…)"), not a call.
      const code = /^\s*\/\//.test(m[3]!) ? '' : m[3]!;
      if (file !== openFile) {
        close();
        openFile = file;
      }
      files.add(file);
      const dir = file.slice(0, file.lastIndexOf('/') + 1);
      const pkgDecl = /^package\s+(\w+)/.exec(code);
      if (pkgDecl) {
        packages.set(dir, pkgDecl[1]!);
        continue;
      }
      const pkg = packages.get(dir) ?? 'main';
      if (code.startsWith('func ')) {
        close();
        open = { name: functionName(pkg, code), allocations: [], frees: new Map() };
        // A one-line function (`func f() { … }`) closes on the same line.
      }
      for (const free of code.matchAll(freeCall)) {
        open?.frees.set(free[1]!, /^\s*defer\b/.test(code) || (open.frees.get(free[1]!) ?? false));
      }
      for (const call of code.matchAll(allocCall)) {
        const before = code.slice(0, call.index);
        const assigned = assignment.exec(before);
        const allocation: Allocation = {
          file,
          line: Number(lineText),
          function: open?.name ?? `${pkg} (package level)`,
          call: call[1]!,
          freed: false,
          deferred: false,
          // Nested in another call's arguments (`C.keep(C.CString(s))`) it is passed straight on.
          ...(assigned && !/\(\s*$/.test(before.slice(assigned[0].length).replace(/\(\*?[\w.]+\)\s*\(?/g, '')) ? { variable: assigned[1]! } : {}),
        };
        if (open) open.allocations.push(allocation);
        allocations.push(allocation);
      }
      if (code.startsWith('}') || (code.startsWith('func ') && /}\s*$/.test(code))) close();
    }
    close();
    // Unfreed first: they are the suspects.
    const ranked = [...allocations].sort((a, b) => Number(a.freed) - Number(b.freed));
    const unfreed = ranked.filter((a) => !a.freed);
    const byLine: Record<string, FactValue> = {};
    for (const a of allocations) byLine[sourceLineKey(`${a.file}:${a.line}`)] = describe(a);
    const more = unfreed.length > listed ? `; and ${unfreed.length - listed} more` : '';
    const facts: Record<string, FactValue> = {
      files: files.size,
      allocations: allocations.length,
      unfreed: unfreed.length,
      freed: allocations.length - unfreed.length,
      calls: ranked.map((a) => ({
        file_line: `${a.file}:${a.line}`,
        function: a.function,
        call: `C.${a.call}`,
        freed: a.freed,
        deferred: a.deferred,
        ...(a.variable !== undefined ? { variable: a.variable } : {}),
        verdict: describe(a),
      })),
      by_line: byLine,
      unfreed_list:
        allocations.length === 0
          ? 'the source makes no C.CString, C.CBytes, C.malloc, C.calloc or C.realloc call'
          : unfreed.length === 0
            ? `each of the ${allocations.length} C allocations is freed in its own function`
            : unfreed.slice(0, listed).map(describe).join('; ') + more,
    };
    if (files.size === 0) warnings.push({ message: 'no Go file calls C.CString, C.CBytes, C.malloc, C.calloc, C.realloc or C.free' });
    return { facts, warnings };
  },
};
