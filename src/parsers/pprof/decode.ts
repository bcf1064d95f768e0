// pprof protobuf → a compact, number-typed profile. Total: every failure is a ParseError.
// Traps handled here (domain.md, "pprof protobuf"): gunzip first; pprof-format returns
// varints ≥ 2^28 as bigint and negative int64 as a huge unsigned bigint; legacy text and
// legacy binary CPU profiles make the decoder throw or mis-read, so they are detected first.
import { Profile } from 'pprof-format';
import type { ParseError, ParseWarning } from '../types.js';

export interface SampleType {
  type: string;
  unit: string;
}

/** Source position of one Line: the file as the binary recorded it (absolute, or
 *  module-relative under -trimpath) and its line number (0 when unknown). */
export interface SourceLine {
  file: string;
  line: number;
}

/** One location: function names of its Lines, leaf (innermost inlined) first, and their
 *  source positions in the same order (an allocation site is the leaf's file:line). */
export interface DecodedLocation {
  functions: number[];
  lines: SourceLine[];
}

export interface DecodedSample {
  /** Indexes into `locations`, leaf first (pprof's order). */
  stack: number[];
  values: number[];
  /** Carries the label `pprof::base=true` written by `go tool pprof -proto -diff_base`. */
  diffBase: boolean;
}

export interface DecodedProfile {
  sampleTypes: SampleType[];
  defaultSampleType: string;
  samples: DecodedSample[];
  locations: DecodedLocation[];
  /** Function names, indexed by the numbers in `DecodedLocation.functions`. */
  functionNames: string[];
  periodType: SampleType | null;
  period: number;
  durationNanos: number;
  /** Unix ns exceed 2^53: kept as a decimal string. */
  timeNanos: string;
  comments: string[];
}

export type DecodeOutcome =
  | { ok: true; profile: DecodedProfile; warnings: ParseWarning[] }
  | { ok: false; error: ParseError };

type Numeric = number | bigint;

/** Signed int64 as a JS number (exact below 2^53; negative int64 arrive as unsigned bigint). */
export function int64(value: Numeric | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'bigint' ? Number(BigInt.asIntN(64, value)) : value;
}

function int64String(value: Numeric | undefined): string {
  if (value === undefined) return '0';
  return typeof value === 'bigint' ? BigInt.asIntN(64, value).toString() : String(value);
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

// Headers of the pre-protobuf text formats (google/pprof profile/legacy_profile.go).
const LEGACY_TEXT_HEADER =
  /^\s*(?:heap profile:|heap_v2\/|[\w ]+ profile: total \d|--- contention|--- mutex|--- heapz|--- threadz|contention\b|%\s*heap|\w+ heap profile:)/;

function legacyFormat(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1');
  if (LEGACY_TEXT_HEADER.test(head)) {
    return `a legacy text profile ("${head.split('\n')[0]?.trim().slice(0, 60)}"); fetch the protobuf form (debug=0) instead`;
  }
  // A protobuf never starts with tag byte 0 (field number 0 is invalid); the legacy binary
  // CPU profile starts with a zero header word (runtime/pprof before Go 1.9).
  if (bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0 && bytes[3] === 0) {
    return 'a legacy binary CPU profile (pre-protobuf, starts with zero words); re-capture with Go ≥1.9';
  }
  return null;
}

function gunzipIfNeeded(bytes: Uint8Array): { bytes: Uint8Array } | { error: ParseError } {
  if (bytes.length < 2 || bytes[0] !== GZIP_MAGIC_0 || bytes[1] !== GZIP_MAGIC_1) return { bytes };
  try {
    // zlib is loaded here, when a profile is decoded, not with every parser: loading it was
    // a fifth of the parser registry's start-up (`runbook parse gctrace`, issue 19).
    return { bytes: process.getBuiltinModule('node:zlib').gunzipSync(bytes) };
  } catch (err) {
    return { error: { code: 'invalid', message: `gzip stream is corrupt or truncated: ${(err as Error).message}` } };
  }
}

/** Profiles are binary: a caller that decoded the file as UTF-8 has already destroyed it. */
export function decodeProfileInput(input: string | Uint8Array): DecodeOutcome {
  if (typeof input === 'string' && input.includes('\uFFFD')) {
    return { ok: false, error: { code: 'invalid', message: 'binary profile was decoded as text (U+FFFD found); pass the file\'s bytes, not a string' } };
  }
  return decodeProfile(typeof input === 'string' ? new TextEncoder().encode(input) : input);
}

export function decodeProfile(input: Uint8Array): DecodeOutcome {
  if (input.length === 0) return { ok: false, error: { code: 'empty', message: 'empty input' } };
  const unzipped = gunzipIfNeeded(input);
  if ('error' in unzipped) return { ok: false, error: unzipped.error };
  const bytes = unzipped.bytes;
  if (bytes.length === 0) return { ok: false, error: { code: 'empty', message: 'empty profile after gunzip' } };
  const legacy = legacyFormat(bytes);
  if (legacy) return { ok: false, error: { code: 'unsupported-format', message: `this is ${legacy}` } };
  let raw: Profile;
  try {
    raw = Profile.decode(bytes);
  } catch (err) {
    return { ok: false, error: { code: 'unrecognised-format', message: `not a pprof protobuf: ${(err as Error).message}` } };
  }
  try {
    return normalise(raw);
  } catch (err) {
    // Random bytes can decode into structurally odd messages; never let that escape.
    return { ok: false, error: { code: 'invalid', message: `malformed pprof profile: ${(err as Error).message}` } };
  }
}

function normalise(raw: Profile): DecodeOutcome {
  const warnings: ParseWarning[] = [];
  const strings = raw.stringTable.strings;
  const str = (i: Numeric | undefined): string => strings[int64(i)] ?? '';
  const sampleTypes = raw.sampleType.map((t) => ({ type: str(t.type), unit: str(t.unit) }));
  if (sampleTypes.length === 0) {
    return { ok: false, error: { code: 'unrecognised-format', message: 'no sample types: not a pprof profile' } };
  }

  const functionNames: string[] = [];
  const nameIndex = new Map<string, number>();
  const intern = (name: string): number => {
    let id = nameIndex.get(name);
    if (id === undefined) {
      id = functionNames.length;
      functionNames.push(name);
      nameIndex.set(name, id);
    }
    return id;
  };
  const functionNameById = new Map<number, string>();
  const fileById = new Map<number, string>();
  for (const f of raw.function) {
    functionNameById.set(int64(f.id), str(f.name));
    fileById.set(int64(f.id), str(f.filename));
  }

  const locations: DecodedLocation[] = [];
  const locationIndexById = new Map<number, number>();
  let unknownFunctions = 0;
  for (const loc of raw.location) {
    const functions: number[] = [];
    const lines: SourceLine[] = [];
    for (const line of loc.line) {
      const name = functionNameById.get(int64(line.functionId));
      if (name === undefined) unknownFunctions++;
      functions.push(intern(name ?? `0x${BigInt.asUintN(64, BigInt(loc.address)).toString(16)}`));
      lines.push({ file: fileById.get(int64(line.functionId)) ?? '', line: int64(line.line) });
    }
    // Unsymbolized location: pprof names the node by its address.
    if (functions.length === 0) {
      functions.push(intern(`0x${BigInt.asUintN(64, BigInt(loc.address)).toString(16)}`));
      lines.push({ file: '', line: 0 });
    }
    locationIndexById.set(int64(loc.id), locations.length);
    locations.push({ functions, lines });
  }
  if (unknownFunctions > 0) warnings.push({ message: `${unknownFunctions} line(s) reference unknown function ids` });

  const baseKey = strings.indexOf('pprof::base');
  const samples: DecodedSample[] = [];
  let unknownLocations = 0;
  let badValueCounts = 0;
  for (const s of raw.sample) {
    if (s.value.length !== sampleTypes.length) {
      badValueCounts++;
      continue;
    }
    const stack: number[] = [];
    for (const id of s.locationId) {
      const index = locationIndexById.get(int64(id));
      if (index === undefined) unknownLocations++;
      else stack.push(index);
    }
    const diffBase =
      baseKey > 0 && s.label.some((l) => int64(l.key) === baseKey && str(l.str) === 'true');
    samples.push({ stack, values: s.value.map(int64), diffBase });
  }
  if (unknownLocations > 0) warnings.push({ message: `${unknownLocations} sample frame(s) reference unknown locations` });
  if (badValueCounts > 0) {
    warnings.push({ message: `${badValueCounts} sample(s) skipped: value count differs from the ${sampleTypes.length} sample types` });
  }
  if (int64(raw.dropFrames) !== 0) {
    warnings.push({ message: `profile sets drop_frames "${str(raw.dropFrames)}"; frames were not dropped` });
  }

  return {
    ok: true,
    warnings,
    profile: {
      sampleTypes,
      defaultSampleType: str(raw.defaultSampleType),
      samples,
      locations,
      functionNames,
      periodType: raw.periodType ? { type: str(raw.periodType.type), unit: str(raw.periodType.unit) } : null,
      period: int64(raw.period),
      durationNanos: int64(raw.durationNanos),
      timeNanos: int64String(raw.timeNanos),
      comments: raw.comment.map(str),
    },
  };
}

/** pprof's choice when -sample_index is not given: default_sample_type, else the last type. */
export function defaultSampleIndex(profile: DecodedProfile): number {
  const named = profile.sampleTypes.findIndex((t) => t.type === profile.defaultSampleType);
  return profile.defaultSampleType !== '' && named >= 0 ? named : profile.sampleTypes.length - 1;
}

/** Resolve a user-given sample type (name or index) against a profile. */
export function resolveSampleIndex(profile: DecodedProfile, wanted: unknown): number | null {
  if (wanted === undefined || wanted === null || wanted === '') return defaultSampleIndex(profile);
  if (typeof wanted === 'number') return Number.isInteger(wanted) && wanted >= 0 && wanted < profile.sampleTypes.length ? wanted : null;
  const byName = profile.sampleTypes.findIndex((t) => t.type === String(wanted));
  return byName >= 0 ? byName : null;
}
