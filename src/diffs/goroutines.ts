// `goroutines` diff: total_delta, the stack groups that grew most, matched by signature
// (non-runtime frames) so a debug=1 snapshot compares with a debug=2 one, and the growth
// grouped by cause with the leak signature each matches (goroutine-causes.ts).
import { formatProblem } from '../runbook/problem.js';
import { shippedGoroutineSignatures } from '../runbook/goroutine-signatures.js';
import { groupGoroutineGrowth } from './goroutine-causes.js';
import { groupFact, readGoroutines } from '../parsers/goroutines.js';
import { GoroutineSnapshotStream, type GoroutineSnapshot } from '../parsers/goroutines/snapshot.js';
import type { ParseResult, ParseWarning, StreamingDiffer } from '../parsers/types.js';

function sideWarnings(snapshot: GoroutineSnapshot | null, side: string): ParseWarning[] {
  return (snapshot?.warnings ?? []).map((w) => ({ message: `${side}: ${w.message}` }));
}

// The goroutine serving the dump itself: its stack differs between debug=1 and debug=2
// (writeRuntimeProfile vs writeGoroutineStacks), so it would show as one group gone, one new.
const isDumpWriter = (signature: string): boolean => signature.includes('runtime/pprof.writeGoroutine');

function diffSnapshots(a: GoroutineSnapshot | null, b: GoroutineSnapshot | null, options?: Record<string, unknown>): ParseResult {
  const warnings = [...sideWarnings(a, 'before'), ...sideWarnings(b, 'after')];
  if (!a || !b) {
    const side = !a ? 'before' : 'after';
    return { facts: {}, warnings, error: { code: 'unrecognised-format', message: `${side}: not a goroutine?debug=1 or debug=2 dump` } };
  }
  const limit = Number(options?.top ?? 10);
  const top = Number.isInteger(limit) && limit > 0 ? limit : 10;
  const beforeGroups = a.groups.filter((g) => !isDumpWriter(g.signature));
  const afterGroups = b.groups.filter((g) => !isDumpWriter(g.signature));
  const beforeCounts = new Map(beforeGroups.map((g) => [g.signature, g.count]));
  const afterSignatures = new Set(afterGroups.map((g) => g.signature));
  const changes = afterGroups.map((g) => ({ group: g, before: beforeCounts.get(g.signature) ?? 0 }));
  const growth = (c: (typeof changes)[number]): number => c.group.count - c.before;
  const fact = (c: (typeof changes)[number]) => ({ ...groupFact(c.group), before: c.before, after: c.group.count, delta: growth(c) });
  const grown = changes.filter((c) => growth(c) > 0).sort((x, y) => growth(y) - growth(x));
  const gone = beforeGroups.filter((g) => !afterSignatures.has(g.signature));
  const catalogue = shippedGoroutineSignatures();
  warnings.push(...catalogue.problems.map((p) => ({ message: `signature catalogue: ${formatProblem(p)}` })));
  const stackChanges = [
    ...changes.map((c) => ({ group: c.group, before: c.before, after: c.group.count })),
    ...gone.map((g) => ({ group: g, before: g.count, after: 0 })),
  ];
  return {
    facts: {
      format_before: a.format,
      format_after: b.format,
      total_before: a.total,
      total_after: b.total,
      total_delta: b.total - a.total,
      grown: grown.slice(0, top).map(fact),
      new_groups: grown.filter((c) => c.before === 0).slice(0, top).map(fact),
      gone_groups: gone.slice(0, top).map((g) => ({ ...groupFact(g), before: g.count, after: 0, delta: -g.count })),
      causes: groupGoroutineGrowth(stackChanges, catalogue.catalogue, top),
      truncated: a.truncated || b.truncated,
    },
    warnings,
  };
}

export const goroutinesDiffer: StreamingDiffer = {
  kind: 'goroutines',
  summary: 'two goroutine dumps (debug=1 or 2): total_delta, the stack groups that grew most, and the growth grouped by cause with its leak signature',
  keyFacts: ['total_delta', 'causes', 'grown', 'new_groups'],
  diff: (before, after, options) => diffSnapshots(readGoroutines(before), readGoroutines(after), options),
  // Each side is read into its groups as it comes (any size, bounded memory), then compared.
  stream: (options) => {
    const [before, after] = [new GoroutineSnapshotStream(true), new GoroutineSnapshotStream(true)];
    return { before, after, end: () => diffSnapshots(before.end(), after.end(), options) };
  },
};
