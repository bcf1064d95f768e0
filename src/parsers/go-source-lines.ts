// Lines of a Go source tree as `grep -rnH` prints them (`FILE.go:LINE:TEXT`), each with the
// top-level function it is in. gofmt'd code opens a top-level function at column 0
// (`func …`) and closes it there (`}`), so the grep lines alone delimit functions (a grep
// that keeps only some lines must keep `^package |^func |^}`); closures belong to their
// enclosing function. The source audits (cgo-audit, http-body-audit, context-cancel-audit) read their trees
// through this one walker.
import type { ParseWarning } from './types.js';

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

/** `everyLine`: the grep kept every line, so a raw string (backquotes) can be followed and a
 *  `}` at column 0 inside one (a JSON body) does not end the function. */
export function walkGoSource(text: string, visitor: GoSourceVisitor, options: { everyLine?: boolean } = {}): GoSourceWalk {
  const warnings: ParseWarning[] = [];
  const files = new Set<string>();
  const packages = new Map<string, string>();
  let open: string | undefined;
  let openFile = '';
  let inRawString = false;
  const close = (): void => {
    if (open !== undefined) visitor.functionEnd(open);
    open = undefined;
  };
  let lineNo = 0;
  for (const raw of text.split('\n')) {
    lineNo++;
    if (raw.trim() === '') continue;
    const m = grepLine.exec(raw);
    if (!m) {
      warnings.push({ message: `not a grep -nH line (FILE.go:LINE:TEXT): ${raw.slice(0, 120)}`, line: lineNo });
      continue;
    }
    const [, file = '', lineText = ''] = m;
    const code = /^\s*\/\//.test(m[3]!) ? '' : m[3]!;
    if (file !== openFile) {
      close();
      openFile = file;
      inRawString = false;
    }
    files.add(file);
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    // Inside a raw string nothing is a package clause or a function's start or end.
    const outsideRawString = !inRawString;
    if (options.everyLine && (code.replaceAll("'`'", '').split('`').length - 1) % 2 === 1) inRawString = !inRawString;
    const pkgDecl = outsideRawString ? /^package\s+(\w+)/.exec(code) : null;
    if (pkgDecl) packages.set(dir, pkgDecl[1]!);
    const pkg = packages.get(dir) ?? 'main';
    if (outsideRawString && code.startsWith('func ')) {
      close();
      open = functionName(pkg, code);
    }
    visitor.line({ file, line: Number(lineText), code, function: open ?? `${pkg} (package level)`, pkg });
    // A one-line function (`func f() { … }`) closes on its own line.
    if (outsideRawString && (code.startsWith('}') || (code.startsWith('func ') && /}\s*$/.test(code)))) close();
  }
  close();
  return { files, warnings };
}
