// `grep -rnH ''` over a Go source tree (every line) → each context the service's code derives
// with a cancel function (`ctx, cancel := context.WithTimeout(parent, d)`), with its file:line,
// the function it is in, and what that function does with the cancel function: calls it
// (deferred or not), hands it on (returns it, passes it to a call, stores it) or does neither.
// A child of a parent context of a foreign type whose cancel is never called keeps a
// context.propagateCancel goroutine forever (domain: the goroutine leak signature
// context-never-cancelled), and that goroutine's stack and creator are the standard
// library's: this audit is how the goroutine-leak runbook names the code at fault.
//
// It reads text, not types or control flow: a cancel function called on one path only is
// counted as called (`go vet`'s lostcancel check follows the paths, and needs the module's
// dependencies to build); a cancel function handed on is listed for the engineer to follow.
import { goSourceAuditParser, keptName, type GoSourceVisitor, type GoSourceWalk, tooManyFindings, MAX_AUDIT_FINDINGS } from './go-source-lines.js';
import { escapeRegex, goCodeOnly, handedOnBy } from './go-uses.js';
import { auditVerdicts } from './audit-verdicts.js';
import type { FactValue, ParseResult } from './types.js';

interface Derivation {
  file: string;
  line: number;
  function: string;
  /** `context.WithTimeout` as written. */
  call: string;
  cancel: string;
  called: boolean;
  deferred: boolean;
  /** Where it went when not called here: `returned to the caller`, `passed to time.AfterFunc`. */
  handedOn?: string;
}

/** `[} else ][if |var ]ctx, cancel :?= context.WithCancel|WithTimeout|WithDeadline[Cause](` and
 *  the rest of the line; either side may be a field (`c.ctx, c.cancel = …`). */
const derivation = /^\s*(?:\}\s*else\s+)?(?:if\s+|var\s+)?[\w.]+\s*,\s*([\w.]+)\s*:?=\s*(context\.With(?:Cancel|Timeout|Deadline)(?:Cause)?)\((.*)$/;
/** A function's named results (`func f(…) (ctx context.Context, cancel context.CancelFunc) {`). */
const namedResults = /\)\s*\(([^()]*)\)\s*\{?\s*$/;

/** What `code` does with the cancel function named `name`, if anything; a bare `return` returns it
 *  when it is one of the function's named results. */
function useOf(code: string, name: string, namedResult: boolean): { called: true; deferred: boolean } | { handedOn: string } | undefined {
  const n = escapeRegex(name);
  if (new RegExp(`(^|[^\\w.])${n}\\(`).test(code)) return { called: true, deferred: new RegExp(`(^|;)\\s*defer\\s+${n}\\(`).test(code) };
  if (namedResult && /^\s*return\s*$/.test(code)) return { handedOn: 'returned to the caller (a named result)' };
  const handedOn = handedOnBy(code, name);
  return handedOn === undefined ? undefined : { handedOn };
}

function describe(d: Derivation): string {
  const at = `${d.function} (${d.file}:${d.line})`;
  if (d.called) return `${at} calls the cancel function of ${d.call}${d.deferred ? ' (deferred)' : ''}`;
  if (d.cancel === '_') return `${at} discards the cancel function of ${d.call} (assigned to _): that context is never cancelled`;
  if (d.handedOn) return `${at} gets ${d.cancel} from ${d.call} and hands it on (${d.handedOn}): check that it is called there`;
  return `${at} gets ${d.cancel} from ${d.call} and never calls it`;
}

export const contextCancelAuditParser = goSourceAuditParser({
  name: 'context-cancel-audit',
  summary: "grep -rnH '' of a Go tree: each context.WithCancel/WithTimeout/WithDeadline, with file:line, its function, and whether that function calls the cancel function or hands it on",
  keyFacts: ['derived', 'never_cancelled', 'cancelled', 'never_cancelled_list'],
  everyLine: true,
  open() {
    let leftOut = 0;
    const derivations: Derivation[] = [];
    const contextFiles = new Set<string>();
    let held: Derivation[] = [];
    // The function the held cancel functions belong to (package-level code has no functionEnd).
    let heldIn = '';
    let results = '';
    const visitor: GoSourceVisitor = {
      line({ file, line, code: text, function: fn }) {
        if (/"context"/.test(text)) contextFiles.add(file);
        if (!contextFiles.has(file) || text === '') return;
        if (`${file}\0${fn}` !== heldIn) {
          held = [];
          heldIn = `${file}\0${fn}`;
          results = '';
        }
        // A `cancel()` in a trailing comment or a string is not a call.
        const code = goCodeOnly(text);
        if (code.startsWith('func ')) results = namedResults.exec(code)?.[1] ?? '';
        const m = derivation.exec(code);
        // On the line that derives it, only what follows the call can use the cancel function.
        const rest = m ? m[3]! : code;
        for (const d of held) {
          if (d.called) continue;
          const use = useOf(rest, d.cancel, new RegExp(`(^|[\\s,])${escapeRegex(d.cancel)}\\b`).test(results));
          if (use && 'called' in use) Object.assign(d, use);
          else if (use) d.handedOn ??= use.handedOn;
        }
        if (!m) return;
        if (derivations.length === MAX_AUDIT_FINDINGS) {
          leftOut++;
          return;
        }
        const d: Derivation = { file, line, function: fn, call: keptName(m[2]!), cancel: keptName(m[1]!), called: false, deferred: false };
        // A field outlives the function: whatever closes the owner must call it.
        if (d.cancel.includes('.')) d.handedOn = 'stored in a field';
        // A cancel function assigned again before it was called or handed on is lost.
        if (d.cancel !== '_') held = held.filter((h) => h.cancel !== d.cancel);
        derivations.push(d);
        if (d.cancel !== '_') {
          held.push(d);
          const sameLine = useOf(m[3]!.replace(/^[^)]*\)/, ''), d.cancel, false);
          if (sameLine && 'called' in sameLine) Object.assign(d, sameLine);
        }
      },
      functionEnd() {
        held = [];
        heldIn = '';
      },
    };
    const result = ({ files, warnings }: GoSourceWalk): ParseResult => {
      const verdicts = auditVerdicts(derivations, (d) => (d.called ? 'released' : d.handedOn ? 'handed-on' : 'neither'));
      const facts: Record<string, FactValue> = {
        files: files.size,
        context_files: contextFiles.size,
        derived: derivations.length,
        never_cancelled: verdicts.neither.length,
        handed_on: verdicts.handedOn.length,
        cancelled: verdicts.released,
        derivations: verdicts.ranked.map((d) => ({
          file_line: `${d.file}:${d.line}`,
          function: d.function,
          call: d.call,
          cancel: d.cancel,
          called: d.called,
          deferred: d.deferred,
          ...(d.handedOn !== undefined && !d.called ? { handed_on: d.handedOn } : {}),
          verdict: describe(d),
        })),
        never_cancelled_list:
          contextFiles.size === 0
            ? `no Go file that imports context was read (${files.size} read): is it the service's source tree?`
            : derivations.length === 0
              ? `no context.WithCancel, WithTimeout or WithDeadline in the ${contextFiles.size} Go files that import context (of ${files.size} read)`
              : verdicts.released === derivations.length
                ? `each of the ${derivations.length} cancel functions of context.With… is called in the function that gets it`
                : verdicts.sentence(describe),
      };
      if (files.size === 0) warnings.push({ message: 'no Go source lines in the input (was the directory right?)' });
      return leftOut > 0 ? { facts, warnings, error: tooManyFindings(leftOut, 'context derivations') } : { facts, warnings };
    };
    return { visitor, result };
  },
});
