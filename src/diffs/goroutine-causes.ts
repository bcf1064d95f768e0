// Goroutine growth grouped by cause, not by identical stack (docs/runbooks.md, "Goroutine
// growth: one leak or more load?"). THE grouping both goroutine-leak and go-memory read,
// through the goroutines diff's `causes`.
//
// A leak often grows several stacks in step: an HTTP response body never closed leaves a
// readLoop and a writeLoop per connection (and conn.serve when the server is in the same
// process). Stacks are one cause when they match a `one_cause` signature of the catalogue,
// or share their creator (debug=2) or start function (debug=1) and their first frame in
// the service's own code; partner signatures growing in step join them. Load growth, by
// contrast, grows unrelated stacks in proportion to their size before, so each cause's
// growth is compared with what the growth ratio of the stacks outside it predicts: only
// the excess is unexplained by load.
import { dominantState } from '../parsers/goroutines.js';
import { isRuntime, type GoroutineGroup } from '../parsers/goroutines/snapshot.js';
import type { StackFrame } from '../parsers/goroutines/stack-dump.js';
import type { FactValue } from '../parsers/types.js';
import type { GoroutineSignature, SignatureCatalogue } from '../runbook/goroutine-signatures.js';

export interface StackChange {
  group: GoroutineGroup;
  before: number;
  after: number;
}

// Top-level directories of the Go standard library (GOROOT/src): a function whose package
// path starts with one of them is not the service's code. Module paths without a dot
// (like `leaky/x`) exist, so "no dot in the first element" would misjudge them.
const STANDARD_LIBRARY = new Set(
  'archive bufio builtin bytes cmp compress container context crypto database debug embed encoding errors expvar flag fmt go hash html image index internal io iter log maps math mime net os path plugin reflect regexp runtime slices sort strconv strings sync syscall testing text time unicode unique unsafe vendor weak'.split(' '),
);

/** `net/http.(*conn).serve` → `net/http`; `github.com/a/b.F` → `github.com/a/b`. */
function packagePath(func: string): string {
  const slash = func.lastIndexOf('/');
  const dot = func.indexOf('.', slash + 1);
  return dot < 0 ? func : func.slice(0, dot);
}

/** The service's own code: neither the runtime nor the standard library (net, net/http, internal/poll…). */
export function isOwnFrame(frame: StackFrame): boolean {
  const path = packagePath(frame.func);
  return !STANDARD_LIBRARY.has(path.split('/')[0]!) && !/^0x[0-9a-f]+$/.test(frame.func);
}

export function matchSignature(catalogue: SignatureCatalogue | undefined, group: GoroutineGroup): GoroutineSignature | undefined {
  if (!catalogue) return undefined;
  const funcs = new Set(group.frames.map((f) => f.func));
  const state = dominantState(group.states);
  const top = group.frames.find((f) => !isRuntime(f));
  return catalogue.signatures.find(({ match }) => {
    if (match.frames && !match.frames.some((f) => funcs.has(f))) return false;
    if (match.with && !match.with.every((f) => funcs.has(f))) return false;
    if (match.states && (state === null || !match.states.includes(state))) return false;
    if (match.top_own === true && (top === undefined || !isOwnFrame(top))) return false;
    return true;
  });
}

/** The function the goroutine started in: the bottom frame (debug=1 prints runtime.main for the main goroutine). */
function entryFunction(frames: StackFrame[]): string {
  const bottom = [...frames].reverse().find((f) => f.func !== 'runtime.goexit');
  return bottom?.func ?? '';
}

/** Where the goroutines wait: the innermost frame outside the runtime, internal/ and the
 *  runtime's hooks in other packages (internal/poll.runtime_pollWait, sync.runtime_Semacquire
 *  say only "parked"; sync.(*WaitGroup).Wait says on what). */
function waitFrame(frames: StackFrame[]): StackFrame | undefined {
  const plumbing = (f: StackFrame): boolean => isRuntime(f) || f.func.startsWith('internal/') || f.func.includes('.runtime_');
  return frames.find((f) => !plumbing(f)) ?? frames.find((f) => !isRuntime(f)) ?? frames[0];
}

/** The frame that says what a stack is: its first frame in the service's own code, else
 *  the frame its signature names (net/http.(*conn).serve), else the function it started in. */
function namingFrame(frames: StackFrame[], signature: GoroutineSignature | undefined): StackFrame | undefined {
  const named = new Set(signature?.match.frames ?? []);
  return frames.find(isOwnFrame) ?? frames.find((f) => named.has(f.func)) ?? [...frames].reverse().find((f) => f.func !== 'runtime.goexit');
}

interface Member extends StackChange {
  signature: GoroutineSignature | undefined;
}

interface Cause {
  signature: GoroutineSignature | undefined;
  members: Member[];
}

const growth = (c: StackChange): number => c.after - c.before;
const sum = (members: StackChange[], of: (c: StackChange) => number): number => members.reduce((s, c) => s + of(c), 0);

function causeKey(change: StackChange, signature: GoroutineSignature | undefined): string {
  if (signature?.one_cause) return `signature ${signature.id}`;
  const frames = change.group.frames;
  const own = frames.find(isOwnFrame)?.func ?? frames.find((f) => !isRuntime(f))?.func ?? '';
  return `${change.group.createdBy ?? entryFunction(frames)} | ${own}`;
}

/** Partner stacks growing "in step": within a factor of 4 of the cause (3 goroutines per
 *  leaked connection on one side and 1 on the other is a factor of 2 or 3). */
const IN_STEP_FACTOR = 4;

/** How many causes, by growth, get the (n log n) reference computation. */
const RANKED = 10;

/** Weighted median of growth ratios (weight: goroutines before) of the stacks outside a
 *  cause: what load alone would have done to it. Unrelated stacks that grew in proportion
 *  give their common ratio; a handful of flat housekeeping stacks give 0. `noise`: one
 *  standard deviation of that ratio with no change of load. */
function referenceRatio(outside: StackChange[]): { median: number; noise: number } {
  const weighed = outside.filter((c) => c.before > 0).map((c) => ({ ratio: growth(c) / c.before, weight: c.before }));
  const total = weighed.reduce((s, w) => s + w.weight, 0);
  if (total === 0) return { median: 0, noise: 0 };
  weighed.sort((a, b) => a.ratio - b.ratio);
  let seen = 0;
  let median = 0;
  for (const w of weighed) {
    seen += w.weight;
    median = w.ratio;
    if (seen * 2 >= total) break;
  }
  // Requests in flight at a steady load vary like a Poisson count (variance = the count), so
  // between two dumps S goroutines move by about sqrt(2S) with no change of load.
  return { median, noise: Math.sqrt(2 * total) / total };
}

/** What load explains of a cause's growth: the other stacks' ratio less its noise (60
 *  background goroutines moving 7 is noise, and would otherwise predict that a 1,500-goroutine
 *  leak grows 11 %), and all of it when the cause grew, for its size, within that noise of
 *  the others: a 1,063-goroutine handler stack growing 21 % beside 160 others growing 20 % is
 *  load, although 21 % is more than the ratio less its noise (9 %). */
function explainedByLoad(before: number, delta: number, reference: { median: number; noise: number }): { expected: number; ratio: number } {
  const { median, noise } = reference;
  if (median > noise && before > 0 && delta / before <= median + noise) return { expected: delta, ratio: median };
  const ratio = Math.max(0, median - noise);
  return { expected: Math.round(before * ratio), ratio };
}

function frameText(f: StackFrame): string {
  return f.file === '' ? f.func : `${f.func} ${f.file}:${f.line}`;
}

function causeFact(cause: Cause, all: StackChange[]): { [key: string]: FactValue } {
  // The stack that grew most names the cause, but never a partner signature that joined it:
  // stacks growing in step grow alike, one more or less by when the dump caught a connection
  // being set up (a body leak is named by its readLoop, created by the Transport, not by the
  // server's conn.serve). Members of one creator and code are ranked by growth alone (a pool's
  // idle workers must not name a leak of its blocked ones).
  const partners = new Set(cause.signature?.partners ?? []);
  const joined = (m: Member): number => (m.signature !== undefined && partners.has(m.signature.id) ? 1 : 0);
  const members = [...cause.members].sort((a, b) => joined(a) - joined(b) || growth(b) - growth(a));
  const inside = new Set(members.map((m) => m.group));
  const before = sum(members, (c) => c.before);
  const delta = sum(members, growth);
  const { expected, ratio } = explainedByLoad(before, delta, referenceRatio(all.filter((c) => !inside.has(c.group))));
  const top = members[0]!;
  const frames = top.group.frames;
  const named = namingFrame(frames, top.signature);
  const waiting = waitFrame(frames);
  const own = members.map((m) => m.group.frames.find(isOwnFrame)).find((f) => f !== undefined);
  const creator = members.find((m) => m.group.createdBy !== null)?.group;
  // A cause keyed by its creator and code holds stacks of several signatures: the one named says it.
  const signature = cause.signature?.one_cause ? cause.signature : (top.signature ?? cause.signature);
  return {
    signature: signature?.id ?? null,
    signature_title: signature?.title ?? null,
    likely_cause: signature?.cause ?? null,
    fix: signature?.fix ?? null,
    delta,
    before,
    after: sum(members, (c) => c.after),
    reference_growth_pct: Math.round(ratio * 1000) / 10,
    expected_from_load: expected,
    excess: delta - expected,
    stack_count: members.length,
    // The stacks that grew (a member that shrank, e.g. a connection closed at another line, is noise here).
    stacks: members.filter((m) => growth(m) > 0).map((m) => `${namingFrame(m.group.frames, m.signature)?.func ?? '(empty stack)'} +${growth(m)}`).join(', '),
    top_function: named?.func ?? null,
    top_frame: named ? frameText(named) : null,
    // "X file:line" or "X file:line, waiting in Y file:line" when it blocks deeper (in the standard library).
    grown_stack: named ? (waiting && waiting !== named ? `${frameText(named)}, waiting in ${frameText(waiting)}` : frameText(named)) : null,
    state: dominantState(top.group.states),
    wait_minutes: top.group.waitMinutesMax,
    own_frame: own ? frameText(own) : null,
    created_by: creator ? (creator.createdAt ? `${creator.createdBy} ${creator.createdAt}` : creator.createdBy) : null,
    // null as grown_stack is for a stack recorded without frames: nothing to name.
    started_in: entryFunction(frames) || null,
    frames: frames.map(frameText),
  };
}

/** Causes of the growth between two dumps, the one with the most growth beyond load first. */
export function groupGoroutineGrowth(changes: StackChange[], catalogue: SignatureCatalogue | undefined, top = RANKED): Array<{ [key: string]: FactValue }> {
  const causes = new Map<string, Cause>();
  for (const change of changes) {
    const signature = matchSignature(catalogue, change.group);
    const key = causeKey(change, signature);
    const member = { ...change, signature };
    const cause = causes.get(key);
    if (cause) cause.members.push(member);
    else causes.set(key, { signature, members: [member] });
  }
  const byGrowth = [...causes.values()].sort((a, b) => sum(b.members, growth) - sum(a.members, growth));
  // The other side of the same leak: a partner signature's cause growing in step joins it.
  for (const cause of byGrowth) {
    const delta = sum(cause.members, growth);
    if (delta <= 0 || !cause.signature?.partners) continue;
    for (const other of byGrowth) {
      const otherDelta = sum(other.members, growth);
      if (other === cause || other.members.length === 0 || !other.signature || !cause.signature.partners.includes(other.signature.id)) continue;
      if (otherDelta * IN_STEP_FACTOR >= delta && otherDelta <= delta * IN_STEP_FACTOR) {
        cause.members.push(...other.members);
        other.members = [];
      }
    }
  }
  const ranked = byGrowth.filter((c) => c.members.length > 0 && sum(c.members, growth) > 0).slice(0, top);
  return ranked
    .map((cause) => causeFact(cause, changes))
    .sort((a, b) => rankingExcess(b) - rankingExcess(a) || (b['delta'] as number) - (a['delta'] as number));
}

/** The excess a cause is ranked by: none when it is within the cause's own count noise (a new
 *  stack of 1 is not ahead of a handler stack that grew +46 with the load). */
function rankingExcess(cause: { [key: string]: FactValue }): number {
  const excess = cause['excess'] as number;
  return excess > Math.sqrt(2 * (cause['before'] as number) + (cause['delta'] as number)) ? excess : 0;
}
