// `pprof` diff: the semantics of `go tool pprof -diff_base BEFORE AFTER` — BEFORE is scaled by
// −1 and merged with AFTER, so flat/cum are AFTER − BEFORE per function and percentages are
// relative to BEFORE's total (600% is normal for a leak).
import { allocationFacts } from '../parsers/pprof/alloc-sites.js';
import { attribute, percentTotal, type FunctionRow, type WeightedProfile } from '../parsers/pprof/attribute.js';
import { decodeProfileInput, resolveSampleIndex } from '../parsers/pprof/decode.js';
import { rowFact, topFacts, topOptions } from '../parsers/pprof/report.js';
import type { Differ, ParseResult, ParserInput, ParseWarning } from '../parsers/types.js';

function diffPprof(before: ParserInput, after: ParserInput, options?: Record<string, unknown>): ParseResult {
  const a = decodeProfileInput(before);
  if (!a.ok) return { facts: {}, warnings: [], error: { ...a.error, message: `before: ${a.error.message}` } };
  const b = decodeProfileInput(after);
  if (!b.ok) return { facts: {}, warnings: [], error: { ...b.error, message: `after: ${b.error.message}` } };
  const warnings: ParseWarning[] = [
    ...a.warnings.map((w) => ({ message: `before: ${w.message}` })),
    ...b.warnings.map((w) => ({ message: `after: ${w.message}` })),
  ];
  // Like pprof, pick the type on the newer profile and find the same type in the base.
  const indexB = resolveSampleIndex(b.profile, options?.sample_type);
  const chosen = indexB === null ? undefined : b.profile.sampleTypes[indexB];
  const indexA = chosen ? a.profile.sampleTypes.findIndex((t) => t.type === chosen.type && t.unit === chosen.unit) : -1;
  if (indexB === null || !chosen || indexA < 0) {
    const types = (p: typeof a.profile): string => p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ');
    return {
      facts: {},
      warnings,
      error: {
        code: 'invalid',
        message: `profiles are not comparable for sample type "${String(options?.sample_type ?? chosen?.type ?? '')}": before has ${types(a.profile)}; after has ${types(b.profile)}`,
      },
    };
  }
  const { top, nodeFraction } = topOptions(options);
  const inputs: WeightedProfile[] = [
    { profile: a.profile, sampleIndex: indexA, sign: -1 },
    { profile: b.profile, sampleIndex: indexB, sign: 1 },
  ];
  const total = percentTotal(inputs);
  const attribution = attribute(inputs, nodeFraction);
  const sumOf = (inp: WeightedProfile): number => inp.profile.samples.reduce((s, x) => s + (x.values[inp.sampleIndex] ?? 0), 0);
  const totalBefore = sumOf(inputs[0]!);
  const totalAfter = sumOf(inputs[1]!);
  // Go heap profiles: what was allocated between the two, by site (any chosen sample type).
  const alloc = allocationFacts(a.profile, b.profile, allocTop(options));
  if (alloc) warnings.push(...alloc.warnings);
  const pick = (key: 'flat' | 'cum', sign: 1 | -1): ReturnType<typeof rowFact>[] => {
    const rows = attribution.rows.filter((r) => r[key] * sign > 0).sort((x: FunctionRow, y: FunctionRow) => (y[key] - x[key]) * sign);
    return (top === 0 ? rows : rows.slice(0, top)).map((r) => rowFact(r, total));
  };
  return {
    facts: {
      sample_type: chosen.type,
      unit: chosen.unit,
      total_before: totalBefore,
      total_after: totalAfter,
      total_delta: totalAfter - totalBefore,
      total,
      growing_flat: pick('flat', 1),
      growing_cum: pick('cum', 1),
      shrinking_flat: pick('flat', -1),
      shrinking_cum: pick('cum', -1),
      ...topFacts(attribution, total, top),
      ...alloc?.facts,
    },
    warnings,
  };
}

/** `options.alloc_top`: allocation sites listed (default 10, 0 = all). */
function allocTop(options: Record<string, unknown> | undefined): number {
  const top = Number(options?.alloc_top ?? 10);
  return Number.isInteger(top) && top >= 0 ? top : 10;
}

export const pprofDiffer: Differ = {
  kind: 'pprof',
  summary: 'two pprof profiles like `go tool pprof -diff_base BEFORE AFTER`: total_delta and the functions that grew and shrank',
  keyFacts: ['sample_type', 'total_delta', 'growing_flat', 'growing_cum'],
  diff: diffPprof,
};
