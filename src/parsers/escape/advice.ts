// Why a value is on the heap, in words, and the usual fix for that reason. The reasons
// are the compiler's own notes in -m=2 flow steps (cmd/compile/internal/escape); with -m
// alone only the kind and the expression are known.
import type { EscapeEntry, FlowStep } from './read.js';

export interface Advice {
  /** A stable name for the cause: closure-capture, interface-conversion, … */
  cause: string;
  /** One line for a person: what the compiler said and why. */
  why: string;
  fix: string;
}

interface Cause {
  cause: string;
  matches(entry: EscapeEntry, reasons: string[]): boolean;
  because: string;
  fix: string;
}

// In priority order: the first that matches names the cause.
const causes: Cause[] = [
  {
    cause: 'too-large-for-stack',
    matches: (_, r) => r.includes('too large for stack'),
    because: 'too large for the stack: explicit variables over 10 MB, implicit ones over 64 KiB',
    fix: 'reuse one buffer across calls (a sync.Pool, or a field of a long-lived object)',
  },
  {
    cause: 'non-constant-size',
    matches: (_, r) => r.includes('non-constant size'),
    because: 'made with a size known only at run time',
    fix: 'pre-size with a constant (make([]T, 0, N)) or reuse a buffer from a sync.Pool',
  },
  {
    cause: 'closure-escapes',
    matches: (e) => e.what === 'func literal',
    because: 'the closure is kept beyond the call (stored, returned or sent), so it and what it captures live on the heap',
    fix: 'call the closure in place, or pass what it needs as arguments instead of keeping a closure per call',
  },
  {
    cause: 'closure-capture',
    matches: (_, r) => r.includes('captured by a closure'),
    because: 'captured by a closure that outlives the call',
    fix: "don't capture it in a closure that outlives the call: pass it as an argument, or call the closure in place",
  },
  {
    cause: 'interface-conversion',
    // "x escapes to heap" for a plain name is its value boxed into an interface: a variable
    // whose address escapes is "moved to heap" instead, and -m=2 shows the boxing as
    // {storage for x} (cmd/compile/internal/escape: spill of an OCONVIFACE).
    matches: (e, r) => r.includes('interface-converted') || (e.kind === 'escapes-to-heap' && /^[A-Za-z_][\w.]*$/.test(e.what)),
    because: 'converted to an interface: any, error, fmt arguments',
    fix: 'avoid the interface conversion in the hot path: keep the concrete type (generics, strconv instead of fmt)',
  },
  {
    cause: 'returned-pointer',
    matches: (e, r) => r.includes('return') || e.detail.startsWith('to result'),
    because: 'its address is returned to the caller',
    fix: 'return (or pass) it by value instead of by pointer',
  },
  {
    cause: 'leaking-param',
    matches: (e, r) => e.kind === 'leaking-param' || e.kind === 'leaking-param-content' || r.includes('call parameter'),
    because: 'passed to a function that keeps it: a leaking parameter',
    fix: 'pass it by value, or change the callee so it does not store the pointer beyond the call',
  },
  {
    cause: 'stored',
    matches: (_, r) => r.includes('assign') || r.includes('store'),
    because: 'stored where it outlives the call: a global, a heap object or a channel',
    fix: 'keep it local to the call, or reuse it through a sync.Pool',
  },
];

const fallback = {
  cause: 'outlives-call',
  because: 'the compiler cannot prove it does not outlive the call',
  fix: 'reuse it (sync.Pool) or restructure so it does not outlive the call; -gcflags=-m=2 prints the chain of reasons',
};

/** The compiler's notes along an entry's flows, in order, each once. */
export function reasonsOf(entry: EscapeEntry): string[] {
  const seen = new Set<string>();
  for (const flow of entry.flows) for (const step of flow.steps) seen.add(step.reason);
  return [...seen];
}

/** The -m=2 step that kept the value: the last step of the last flow (the one reaching
 *  the heap, or the closure that captured it) that is not a mere `spill` or `reference`
 *  of the value itself. Null with -m alone. */
function keptBy(entry: EscapeEntry): FlowStep | null {
  const steps = entry.flows.at(-1)?.steps ?? [];
  return steps.findLast((s) => s.reason !== 'spill' && s.reason !== 'reference') ?? steps.at(-1) ?? null;
}

export function adviceFor(entry: EscapeEntry): Advice {
  const reasons = reasonsOf(entry);
  const cause = causes.find((c) => c.matches(entry, reasons)) ?? { ...fallback, matches: () => true };
  const said = entry.kind === 'moved-to-heap' ? `moved to heap: ${entry.what}` : entry.kind === 'escapes-to-heap' ? `${entry.what} escapes to heap` : `leaking param: ${entry.what}${entry.detail ? ` ${entry.detail}` : ''}`;
  // Where it escapes is often another line than where it is allocated: name it.
  const step = keptBy(entry);
  const through = step ? `, through \`${step.what}\` (${step.reason})${step.at ? ` at ${step.at}` : ''}` : '';
  return { cause: cause.cause, why: `${said} (${cause.because})${through}`, fix: cause.fix };
}
