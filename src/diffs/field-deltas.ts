// Field-by-field deltas of two parses of the same `Key: value` format (status, smaps_rollup):
// `<field>_delta` = after − before for every numeric field present in both, plus both sides.
// Each side streams as its parser does.
import type { FactValue, Facts, ParseResult, ParserInput, ParseWarning, StreamingDiffer, StreamingParser } from '../parsers/types.js';

export function fieldDeltaDiffer(kind: string, parser: StreamingParser, summary: string, keyFacts: string[]): StreamingDiffer {
  return {
    kind,
    summary,
    keyFacts,
    diff: (before: ParserInput, after: ParserInput) => fieldDeltas(parser.parse(before), parser.parse(after)),
    stream() {
      const [before, after] = [parser.stream(), parser.stream()];
      return { before, after, end: () => fieldDeltas(before.end(), after.end()) };
    },
  };
}

function fieldDeltas(a: ParseResult, b: ParseResult): ParseResult {
  const warnings: ParseWarning[] = [
    ...a.warnings.map((w) => ({ ...w, message: `before: ${w.message}` })),
    ...b.warnings.map((w) => ({ ...w, message: `after: ${w.message}` })),
  ];
  const facts: Facts = {};
  for (const [name, value] of Object.entries(b.facts)) {
    const old = a.facts[name];
    if (typeof value === 'number' && typeof old === 'number') facts[`${name}_delta`] = value - old;
  }
  const onlyOneSide = symmetricDifference(a.facts, b.facts);
  if (onlyOneSide.length > 0) warnings.push({ message: `fields present on one side only (no delta): ${onlyOneSide.join(', ')}` });
  facts.before = a.facts;
  facts.after = b.facts;
  const failed = a.error ? { side: 'before', error: a.error } : b.error ? { side: 'after', error: b.error } : null;
  if (failed === null) return { facts, warnings };
  return { facts, warnings, error: { ...failed.error, message: `${failed.side}: ${failed.error.message}` } };
}

function symmetricDifference(a: Record<string, FactValue>, b: Record<string, FactValue>): string[] {
  return [...Object.keys(a).filter((k) => !(k in b)), ...Object.keys(b).filter((k) => !(k in a))];
}
