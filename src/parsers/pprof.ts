// `pprof`: a pprof protobuf (gzip or raw) of any type → sample types, totals, top functions.
import { attribute, percentTotal, type WeightedProfile } from './pprof/attribute.js';
import { decodeProfileInput, resolveSampleIndex, type DecodedProfile } from './pprof/decode.js';
import { topFacts, topOptions } from './pprof/report.js';
import type { Facts, Parser, ParseResult } from './types.js';

/** Facts that describe the profile itself, independent of the chosen sample type. */
export function profileFacts(profile: DecodedProfile): Facts {
  const totals: Facts = {};
  profile.sampleTypes.forEach((t, i) => {
    let sum = 0;
    for (const s of profile.samples) sum += s.values[i] ?? 0;
    totals[t.type] = sum;
  });
  return {
    sample_types: profile.sampleTypes.map((t) => ({ type: t.type, unit: t.unit })),
    default_sample_type: profile.sampleTypes[resolveSampleIndex(profile, undefined)!]!.type,
    totals,
    samples: profile.samples.length,
    period: profile.period,
    period_type: profile.periodType ? `${profile.periodType.type}/${profile.periodType.unit}` : null,
    duration_ns: profile.durationNanos,
    time_nanos: profile.timeNanos,
  };
}

function parsePprof(input: string | Uint8Array, options?: Record<string, unknown>): ParseResult {
  const decoded = decodeProfileInput(input);
  if (!decoded.ok) return { facts: {}, warnings: [], error: decoded.error };
  const { profile, warnings } = decoded;
  const facts = profileFacts(profile);
  const sampleIndex = resolveSampleIndex(profile, options?.sample_type);
  if (sampleIndex === null) {
    const known = profile.sampleTypes.map((t) => t.type).join(', ');
    return { facts, warnings, error: { code: 'invalid', message: `no sample type "${String(options?.sample_type)}" in this profile (it has ${known})` } };
  }
  const { top, nodeFraction } = topOptions(options);
  const inputs: WeightedProfile[] = [{ profile, sampleIndex, sign: 1 }];
  const total = percentTotal(inputs);
  const chosen = profile.sampleTypes[sampleIndex]!;
  return {
    facts: { ...facts, sample_type: chosen.type, unit: chosen.unit, total, ...topFacts(attribute(inputs, nodeFraction), total, top) },
    warnings,
  };
}

export const pprofParser: Parser = {
  name: 'pprof',
  summary: 'pprof protobuf profile (gzip or raw; heap, goroutine, cpu, mutex…): totals and top functions like `go tool pprof -top`',
  keyFacts: ['sample_type', 'total', 'top_flat', 'top_cum'],
  parse: parsePprof,
};
