// `pprof-hotspots`: a time-valued profile (a CPU profile, or the syscall/sched profiles
// `go tool trace -pprof=…` writes) → what could have held up a stop-the-world, each named
// by its code: time inside cgo calls per C function and the Go line that calls it, the
// hottest Go function of our own (leaf samples outside the runtime) with its hottest line,
// and the time the runtime itself spent stopping the world.
import { decodeProfileInput, type DecodedProfile } from './pprof/decode.js';
import type { Facts, FactValue, Parser, ParseResult } from './types.js';

/** cgo wrappers the compiler generates: `pkg._Cfunc_name` (`_C2func_` when errno is returned). */
const CGO_WRAPPER = /(?:^|\.)_C2?func_(.+)$/;
/** Where the runtime waits for every goroutine to stop (go1.19 runtime/proc.go, mgc.go). */
const STW_FUNCTIONS = new Set(['runtime.stopTheWorldWithSema', 'runtime.stopTheWorld', 'runtime.gcMarkDone']);
const TOP_SITES = 5;
/** The runtime's own code: runtime.*, and its internal packages (runtime/internal/syscall.Syscall6,
 *  internal/runtime/… since Go 1.23), which a service cannot change. */
const RUNTIME_FUNCTION = /^(runtime[./]|internal\/runtime\/)/;

interface Frame {
  name: string;
  site: string;
}

interface Tally {
  value: number;
  bySite: Map<string, number>;
}

function framesOf(profile: DecodedProfile, stack: number[]): Frame[] {
  const frames: Frame[] = [];
  for (const index of stack) {
    const location = profile.locations[index]!;
    location.functions.forEach((fn, i) => {
      const pos = location.lines[i];
      frames.push({ name: profile.functionNames[fn]!, site: pos && pos.file !== '' ? `${pos.file}:${pos.line}` : '' });
    });
  }
  return frames;
}

function add(map: Map<string, Tally>, key: string, site: string, value: number): void {
  const tally = map.get(key) ?? { value: 0, bySite: new Map<string, number>() };
  tally.value += value;
  tally.bySite.set(site, (tally.bySite.get(site) ?? 0) + value);
  map.set(key, tally);
}

function hottestSite(tally: Tally): string {
  let best = '';
  let most = -Infinity;
  for (const [site, value] of tally.bySite) if (value > most) [best, most] = [site, value];
  return best;
}

const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
const percentOf = (part: number, total: number): number => (total > 0 ? Math.round((part / total) * 1000) / 10 : 0);

function parseHotspots(input: string | Uint8Array): ParseResult {
  const decoded = decodeProfileInput(input);
  if (!decoded.ok) return { facts: {}, warnings: [], error: decoded.error };
  const { profile, warnings } = decoded;
  // The last time-valued type: cpu for CPU profiles, delay for go tool trace's profiles.
  const sampleIndex = profile.sampleTypes.map((t) => t.unit).lastIndexOf('nanoseconds');
  if (sampleIndex < 0) {
    const types = profile.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ');
    return { facts: {}, warnings, error: { code: 'invalid', message: `no sample type in nanoseconds (this profile has ${types}): not a CPU, syscall or scheduler profile` } };
  }
  let total = 0;
  let cgo = 0;
  let stw = 0;
  const cgoCalls = new Map<string, Tally>();
  const cgoParts = new Map<string, { c_function: string; caller: string }>();
  const leaves = new Map<string, Tally>();
  for (const sample of profile.samples) {
    const value = sample.values[sampleIndex] ?? 0;
    if (value <= 0) continue;
    total += value;
    const frames = framesOf(profile, sample.stack);
    if (frames.some((f) => STW_FUNCTIONS.has(f.name))) stw += value;
    const wrapperAt = frames.findIndex((f) => CGO_WRAPPER.test(f.name));
    if (wrapperAt >= 0) {
      cgo += value;
      const cFunction = CGO_WRAPPER.exec(frames[wrapperAt]!.name)![1]!;
      const caller = frames[wrapperAt + 1] ?? { name: frames[wrapperAt]!.name, site: frames[wrapperAt]!.site };
      const key = `${cFunction}\n${caller.name}`;
      cgoParts.set(key, { c_function: cFunction, caller: caller.name });
      add(cgoCalls, key, caller.site, value);
      continue;
    }
    const leaf = frames[0];
    if (leaf && !RUNTIME_FUNCTION.test(leaf.name)) add(leaves, leaf.name, leaf.site, value);
  }
  const byValue = (map: Map<string, Tally>): [string, Tally][] => [...map.entries()].sort((a, b) => b[1].value - a[1].value || (a[0] < b[0] ? -1 : 1));
  const cgoSites: FactValue[] = byValue(cgoCalls)
    .slice(0, TOP_SITES)
    .map(([key, tally]) => ({ ...cgoParts.get(key)!, site: hottestSite(tally), ms: ms(tally.value), percent: percentOf(tally.value, total) }));
  const hot = byValue(leaves)[0];
  const top = cgoSites[0] as { c_function: string; caller: string; site: string } | undefined;
  const what = profile.sampleTypes[sampleIndex]!.type === 'cpu' ? 'CPU samples' : `${profile.sampleTypes[sampleIndex]!.type} time`;
  const hotPart = hot ? `${hot[0]} at ${hottestSite(hot[1])} took ${percentOf(hot[1].value, total)} % of ${ms(total)} ms of ${what}` : `no function of the service's own took ${what} (${ms(total)} ms in all)`;
  const cgoPart = top ? `${percentOf(cgo, total)} % inside cgo calls, most in C.${top.c_function} from ${top.caller} at ${top.site}` : 'none inside cgo calls';
  const facts: Facts = {
    sample_type: profile.sampleTypes[sampleIndex]!.type,
    duration_s: Math.round(profile.durationNanos / 1e7) / 100,
    total_ms: ms(total),
    cgo_ms: ms(cgo),
    cgo_percent: percentOf(cgo, total),
    cgo_sites: cgoSites,
    hot_function: hot ? hot[0] : null,
    hot_site: hot ? hottestSite(hot[1]) : null,
    hot_ms: hot ? ms(hot[1].value) : 0,
    hot_percent: hot ? percentOf(hot[1].value, total) : 0,
    stw_ms: ms(stw),
    stw_percent: percentOf(stw, total),
    summary: `${hotPart}; ${cgoPart}`,
  };
  return { facts, warnings };
}

export const pprofHotspotsParser: Parser = {
  name: 'pprof-hotspots',
  summary: 'CPU profile or go tool trace -pprof profile: time in cgo calls by C function and calling line, the hottest own function and line, time stopping the world',
  keyFacts: ['total_ms', 'cgo_percent', 'hot_function', 'hot_site', 'hot_percent', 'stw_percent'],
  parse: parseHotspots,
};
