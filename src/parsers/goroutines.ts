// `goroutines`: goroutine?debug=1 or debug=2 → total, groups of identical stacks (count desc),
// states, waits, top non-runtime frame, creator. Both formats group by the same signature —
// the non-runtime frames — because they show different runtime frames: debug=1 omits leading
// runtime.* frames and runtime.goexit but prints runtime.main at the bottom, while the debug=2
// traceback hides runtime.main and goexit. So a debug=1 dump can be diffed against a debug=2 one.
import { asText } from './input.js';
import { DEBUG1_HEADER, parseDebug1 } from './goroutines/profile-debug1.js';
import { parseStackDump, type StackFrame } from './goroutines/stack-dump.js';
import type { Facts, FactValue, Parser, ParseResult, ParseWarning } from './types.js';

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

/** Non-runtime frames; all but runtime.goexit when the goroutine never leaves the runtime. */
function signatureOf(stack: StackFrame[]): string {
  const own = stack.filter((f) => !isRuntime(f));
  const frames = own.length > 0 ? own : stack.filter((f) => f.func !== 'runtime.goexit');
  return frames.map((f) => `${f.func} ${f.file}:${f.line}`).join('\n');
}

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

function byCountDesc(a: GoroutineGroup, b: GoroutineGroup): number {
  return b.count - a.count || (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0);
}

/** Parse either dump into groups; null when the text is neither format. */
export function readGoroutines(text: string): GoroutineSnapshot | null {
  if (DEBUG1_HEADER.test(text.slice(0, 4096))) {
    const profile = parseDebug1(text);
    const groups = new Map<string, GoroutineGroup>();
    for (const r of profile.records) {
      const frames = r.frames;
      const signature = signatureOf(frames);
      const group = groups.get(signature);
      if (group) group.count += r.count;
      else groups.set(signature, { signature, count: r.count, frames, states: {}, waitMinutesMax: null, waitMinutesMin: null, createdBy: null, createdAt: null, ids: [] });
    }
    const counted = profile.records.reduce((s, r) => s + r.count, 0);
    const warnings = [...profile.warnings];
    // net/http/pprof writes the whole debug=1 body at once; fewer records than the header says means a cut.
    const truncated = profile.total !== null && counted < profile.total;
    if (truncated) warnings.push({ message: `records account for ${counted} of ${profile.total} goroutines: dump cut short` });
    if (profile.total !== null && counted > profile.total) warnings.push({ message: `records count ${counted} goroutines, header says ${profile.total}` });
    return { format: 'debug=1', total: profile.total ?? counted, groups: [...groups.values()].sort(byCountDesc), truncated, warnings };
  }
  if (!/^goroutine \d+ /m.test(text)) return null;
  const dump = parseStackDump(text);
  const groups = new Map<string, GoroutineGroup>();
  for (const g of dump.goroutines) {
    const frames = g.stack;
    const signature = signatureOf(frames);
    let group = groups.get(signature);
    if (!group) {
      group = { signature, count: 0, frames, states: {}, waitMinutesMax: null, waitMinutesMin: null, createdBy: g.createdBy?.func ?? null, createdAt: g.createdBy && g.createdBy.file !== '' ? `${g.createdBy.file}:${g.createdBy.line}` : null, ids: [] };
      groups.set(signature, group);
    }
    group.count++;
    group.states[g.state] = (group.states[g.state] ?? 0) + 1;
    group.waitMinutesMax = Math.max(group.waitMinutesMax ?? 0, g.waitMinutes);
    group.waitMinutesMin = Math.min(group.waitMinutesMin ?? Infinity, g.waitMinutes);
    if (group.ids.length < 5) group.ids.push(g.id);
  }
  const warnings = [...dump.warnings];
  if (dump.truncated) warnings.push({ message: 'the dump ends inside a goroutine (net/http/pprof cuts debug=2 at 64 MB): counts are a lower bound' });
  return { format: 'debug=2', total: dump.goroutines.length, groups: [...groups.values()].sort(byCountDesc), truncated: dump.truncated, warnings };
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

function parseGoroutines(input: string | Uint8Array, options?: Record<string, unknown>): ParseResult {
  const text = asText(input);
  if (text.trim() === '') return { facts: {}, warnings: [], error: { code: 'empty', message: 'empty input' } };
  const snapshot = readGoroutines(text);
  if (!snapshot) {
    return {
      facts: {},
      warnings: [],
      error: { code: 'unrecognised-format', message: 'neither "goroutine profile: total N" (debug=1) nor "goroutine N [state]:" blocks (debug=2)' },
    };
  }
  const limit = Number(options?.max_groups ?? 50);
  const maxGroups = Number.isInteger(limit) && limit > 0 ? limit : 50;
  const states: Record<string, number> = {};
  let maxWait: number | null = null;
  for (const g of snapshot.groups) {
    for (const [s, n] of Object.entries(g.states)) states[s] = (states[s] ?? 0) + n;
    if (g.waitMinutesMax !== null) maxWait = Math.max(maxWait ?? 0, g.waitMinutesMax);
  }
  const facts: Facts = {
    format: snapshot.format,
    total: snapshot.total,
    groups_count: snapshot.groups.length,
    groups: snapshot.groups.slice(0, maxGroups).map(groupFact),
    states: snapshot.format === 'debug=2' ? states : null,
    max_wait_minutes: maxWait,
    truncated: snapshot.truncated,
    ...cgoCallFacts(snapshot.groups),
  };
  return { facts, warnings: snapshot.warnings };
}

export const goroutinesParser: Parser = {
  name: 'goroutines',
  summary: 'goroutine?debug=1 or debug=2 dump: total, groups of identical stacks with state, wait and creator',
  keyFacts: ['total', 'groups_count', 'states', 'max_wait_minutes', 'truncated'],
  parse: parseGoroutines,
};
