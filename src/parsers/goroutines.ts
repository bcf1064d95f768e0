// `goroutines`: goroutine?debug=1 or debug=2 → total, groups of identical stacks (count desc),
// states, waits, top non-runtime frame, creator. The dump is read in chunks into groups
// (goroutines/snapshot.ts), so `runbook parse goroutines` reads dumps of any size.
import { BlankInput } from './blank-input.js';
import { parseWhole } from './chunk-lines.js';
import { GoroutineSnapshotStream, isRuntime, type GoroutineGroup, type GoroutineSnapshot } from './goroutines/snapshot.js';
import type { StackFrame } from './goroutines/stack-dump.js';
import type { Facts, FactValue, ParseResult, ParseStream, ParserInput, StreamingParser } from './types.js';

function topNonRuntime(frames: StackFrame[]): StackFrame | null {
  return frames.find((f) => !isRuntime(f)) ?? frames[0] ?? null;
}
/** cgo wrappers the compiler generates: `pkg._Cfunc_name` (`_C2func_` when errno is returned). */
const CGO_WRAPPER = /(?:^|\.)_C2?func_(.+)$/;

/** Groups whose goroutines sit inside a C call: the topmost non-runtime frame is a cgo
 *  wrapper (debug=1 hides runtime.cgocall above it, debug=2 shows it). A Go callback from C
 *  has Go frames on top and is not in C. The site is the Go line that made the call. */
function cgoCallFacts(groups: GoroutineGroup[]): { in_cgo_calls: number; cgo_calls: FactValue[]; cgo_summary: string } {
  const calls: { count: number; c_function: string; caller: string | null; site: string | null }[] = [];
  for (const g of groups) {
    const at = g.frames.findIndex((f) => !isRuntime(f));
    const wrapper = at >= 0 ? CGO_WRAPPER.exec(g.frames[at]!.func) : null;
    if (!wrapper) continue;
    const caller = g.frames[at + 1];
    calls.push({ count: g.count, c_function: wrapper[1]!, caller: caller?.func ?? null, site: caller ? `${caller.file}:${caller.line}` : null });
  }
  const total = calls.reduce((sum, c) => sum + c.count, 0);
  const sites = calls.slice(0, 3).map((c) => `C.${c.c_function}${c.caller ? ` from ${c.caller} at ${c.site}` : ''} (${c.count})`);
  const summary =
    total === 0 ? 'no goroutine was inside a cgo call' : `${total} goroutine${total === 1 ? ' was' : 's were'} inside cgo calls: ${sites.join(', ')}${calls.length > 3 ? `, and ${calls.length - 3} more call sites` : ''}`;
  return { in_cgo_calls: total, cgo_calls: calls.slice(0, 10), cgo_summary: summary };
}

/** Parse either dump into groups; null when the input is neither format. */
export function readGoroutines(input: ParserInput): GoroutineSnapshot | null {
  return parseWhole(input, (skipBom) => new GoroutineSnapshotStream(skipBom));
}

/** The state most of a group's goroutines wait in (debug=2), null for a debug=1 group. */
export function dominantState(states: Record<string, number>): string | null {
  let best: string | null = null;
  for (const [state, n] of Object.entries(states)) if (best === null || n > states[best]!) best = state;
  return best;
}

export function groupFact(g: GoroutineGroup): { [key: string]: FactValue } {
  const top = topNonRuntime(g.frames);
  return {
    count: g.count,
    state: dominantState(g.states),
    states: g.states,
    wait_minutes: g.waitMinutesMax,
    wait_minutes_min: g.waitMinutesMin,
    top_function: top?.func ?? null,
    top_frame: top ? `${top.file}:${top.line}` : null,
    created_by: g.createdBy,
    frames: g.frames.map((f) => `${f.func} ${f.file}:${f.line}`),
    ids: g.ids,
  };
}

/** Reads the dump in chunks; only the groups and whether the input is blank are kept. */
class GoroutinesStream implements ParseStream {
  private readonly blank = new BlankInput();
  private readonly snapshot: GoroutineSnapshotStream;

  constructor(
    private readonly options: Record<string, unknown>,
    skipBom: boolean,
  ) {
    this.snapshot = new GoroutineSnapshotStream(skipBom);
  }

  write(chunk: Uint8Array): void {
    this.blank.feed(chunk);
    this.snapshot.write(chunk);
  }

  end(): ParseResult {
    if (this.blank.isBlank()) return { facts: {}, warnings: [], error: { code: 'empty', message: 'empty input' } };
    const snapshot = this.snapshot.end();
    if (!snapshot) {
      return {
        facts: {},
        warnings: [],
        error: { code: 'unrecognised-format', message: 'neither "goroutine profile: total N" (debug=1) nor "goroutine N [state]:" blocks (debug=2)' },
      };
    }
    return { facts: snapshotFacts(snapshot, this.options), warnings: snapshot.warnings };
  }
}

function snapshotFacts(snapshot: GoroutineSnapshot, options: Record<string, unknown>): Facts {
  const limit = Number(options.max_groups ?? 50);
  const maxGroups = Number.isInteger(limit) && limit > 0 ? limit : 50;
  const states: Record<string, number> = {};
  let maxWait: number | null = null;
  for (const g of snapshot.groups) {
    for (const [s, n] of Object.entries(g.states)) states[s] = (states[s] ?? 0) + n;
    if (g.waitMinutesMax !== null) maxWait = Math.max(maxWait ?? 0, g.waitMinutesMax);
  }
  return {
    format: snapshot.format,
    total: snapshot.total,
    groups_count: snapshot.groups.length,
    groups: snapshot.groups.slice(0, maxGroups).map(groupFact),
    states: snapshot.format === 'debug=2' ? states : null,
    max_wait_minutes: maxWait,
    truncated: snapshot.truncated,
    ...cgoCallFacts(snapshot.groups),
  };
}

export const goroutinesParser: StreamingParser = {
  name: 'goroutines',
  summary: 'goroutine?debug=1 or debug=2 dump: total, groups of identical stacks with state, wait and creator',
  keyFacts: ['total', 'groups_count', 'states', 'max_wait_minutes', 'truncated'],
  parse: (input, options = {}) => parseWhole(input, (skipBom) => new GoroutinesStream(options, skipBom)),
  stream: (options = {}) => new GoroutinesStream(options, true),
};
