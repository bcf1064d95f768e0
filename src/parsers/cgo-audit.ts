// `grep -rnH` over a Go source tree, for `package`, top-level `func` and closing `}` lines
// and every C.CString / C.CBytes / C.malloc / C.calloc / C.realloc / C.free call → each C
// allocation with its file:line, the function it is in, and whether that function frees
// what it got (a C.free of the same variable, deferred or not). Go never frees C memory:
// an allocation whose function has no C.free either hands it to C (which must free it),
// keeps it somewhere freed later, or leaks.
//
// Functions are delimited as go-source-lines.ts says. `by_line` is keyed by `file.go:LINE`, the form a traced call site can be
// looked up by (the c-allocs parser's `top_source_line`).
import { goSourceAuditParser, keptName, type GoSourceVisitor, type GoSourceWalk, tooManyFindings, MAX_AUDIT_FINDINGS } from './go-source-lines.js';
import type { FactValue, ParseResult } from './types.js';

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
  allocations: Allocation[];
  /** Expressions passed to C.free, and whether that free is deferred. */
  frees: Map<string, boolean>;
}

const allocCall = /\bC\.(CString|CBytes|malloc|calloc|realloc)\(/g;
const freeCall = /\bC\.free\(\s*(?:unsafe\.Pointer\(\s*)?([\w.]+)/g;
/** `x :=`, `x =`, `var x =`, `s.buf =`, `x, err :=` before the call on the same line. */
const assignment = /^\s*(?:var\s+)?([\w.]+)(?:\s*,\s*[\w.]+)*(?:\s+[\w.*[\]]+)?\s*:?=(?!=)/;
const listed = 10;
/** Distinct C.free arguments kept per function (a Map holds at most 2^24): far past real code. */
export const MAX_FREES_PER_FUNCTION = 100_000;

/** `file.go:LINE`, the key a traced call site is looked up by. */
export function sourceLineKey(fileLine: string): string {
  return fileLine.split('/').pop() ?? fileLine;
}

function describe(a: Allocation): string {
  const at = `${a.file}:${a.line}`;
  if (a.freed) return `C.${a.call} in ${a.function} (${at}) is freed there${a.deferred ? ' (deferred)' : ''}`;
  if (a.variable === undefined) return `C.${a.call} in ${a.function} (${at}) is passed straight on and never freed in Go: only the C side can free it`;
  return `C.${a.call} in ${a.function} (${at}) is never freed there: no C.free of ${a.variable} in the function`;
}

export const cgoAuditParser = goSourceAuditParser({
  name: 'cgo-audit',
  summary: 'grep -rnH of a Go tree for func/}/C.CString|CBytes|malloc|calloc|realloc|free: each C allocation with file:line, its function, and whether that function frees it',
  keyFacts: ['allocations', 'unfreed', 'freed', 'unfreed_list'],
  everyLine: false,
  open() {
    let leftOut = 0;
    const allocations: Allocation[] = [];
    let open: OpenFunction | undefined;
    /** The first function with more distinct C.free arguments than are kept. */
    let tooManyFrees: string | undefined;
    const visitor: GoSourceVisitor = {
      line({ file, line, code, function: fn }) {
        if (code.startsWith('func ')) open = { allocations: [], frees: new Map() };
        for (const free of code.matchAll(freeCall)) {
          if (open === undefined) break;
          const freed = keptName(free[1]!);
          const deferred = /^\s*defer\b/.test(code) || (open.frees.get(freed) ?? false);
          if (open.frees.size < MAX_FREES_PER_FUNCTION || open.frees.has(freed)) open.frees.set(freed, deferred);
          else tooManyFrees ??= `${fn} (${file}:${line})`;
        }
        for (const call of code.matchAll(allocCall)) {
          const before = code.slice(0, call.index);
          const assigned = assignment.exec(before);
          const allocation: Allocation = {
            file,
            line,
            function: fn,
            call: call[1]!,
            freed: false,
            deferred: false,
            // Nested in another call's arguments (`C.keep(C.CString(s))`) it is passed straight on.
            ...(assigned && !/\(\s*$/.test(before.slice(assigned[0].length).replace(/\(\*?[\w.]+\)\s*\(?/g, '')) ? { variable: keptName(assigned[1]!) } : {}),
          };
          if (allocations.length === MAX_AUDIT_FINDINGS) {
            leftOut++;
            continue;
          }
          if (open) open.allocations.push(allocation);
          allocations.push(allocation);
        }
      },
      functionEnd() {
        for (const a of open?.allocations ?? []) {
          const freedAs = a.variable !== undefined ? open!.frees.get(a.variable) : undefined;
          a.freed = freedAs !== undefined;
          a.deferred = freedAs === true;
        }
        open = undefined;
      },
    };
    const result = ({ files, warnings }: GoSourceWalk): ParseResult => {
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
      if (leftOut > 0) return { facts, warnings, error: tooManyFindings(leftOut, 'C allocations') };
      if (tooManyFrees !== undefined) {
        const message = `${tooManyFrees} frees more than ${MAX_FREES_PER_FUNCTION.toLocaleString('en-US')} distinct expressions, the most cgo-audit keeps of one function: its frees after that were left out, so its allocations may be listed as unfreed wrongly (is it generated code? grep the service's own packages instead)`;
        return { facts, warnings, error: { code: 'invalid', message } };
      }
      return { facts, warnings };
    };
    return { visitor, result };
  },
});
