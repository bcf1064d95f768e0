// `snapshot`: evidence from the collectors (live process or `--bundle` replay), written in
// the bundle layout under the step's artifact dir. Facts are per collector; their raw files
// are reachable in templates as `{{ stepid.<collector>.path }}`. With `series:` the step
// takes several snapshots `every` apart (one dir each) and adds `series` facts; its
// collector facts and diffs are those of its last snapshot.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readBundle } from '../../collectors/bundle.js';
import { collectSnapshot } from '../../collectors/snapshot.js';
import type { SnapshotRequest, SnapshotResult } from '../../collectors/types.js';
import { DIR_MODE } from '../../journal/session-dir.js';
import type { Facts } from '../../parsers/types.js';
import type { Step } from '../../runbook/types.js';
import { planSeries, seriesFacts, type SeriesPlan } from './snapshot-series.js';
import { failed, type StepContext, type StepOutcome } from './types.js';
import { countDown } from './wait.js';

export async function snapshotStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'snapshot' }>;
  const spec = step.snapshot;
  ctx.started();
  const outDir = ctx.artifact('snapshot');
  mkdirSync(outDir, { mode: DIR_MODE });
  let compareTo: SnapshotRequest['compareTo'];
  if (spec.compare_to !== undefined) {
    const dir = ctx.snapshotDir(spec.compare_to);
    if (dir === undefined) return failed(`compare_to: step ${spec.compare_to} has no finished snapshot in this session`);
    compareTo = { dir };
  }
  let plan: SeriesPlan | undefined;
  if (spec.series !== undefined) {
    const planned = planSeries(spec.series, ctx.scope, compareTo !== undefined);
    if (!planned.ok) return failed(planned.error);
    plan = planned.value;
  }
  const first = ctx.snapshotsBefore();
  const { taken, missing } = snapshotsToTake(ctx, plan, first, compareTo !== undefined);
  // Live targets come from the conventional inputs `pid`, `pprof` and `gctrace` (docs/engine.md).
  const { pid, pprof, gctrace } = ctx.inputs;
  const request = (index: number, dir: string, last: boolean): SnapshotRequest => ({
    collect: spec.collect,
    outDir: dir,
    signal: ctx.signal,
    redact: (bytes) => ctx.redactor.redactBytes(bytes),
    ...(ctx.options.bundle !== undefined
      ? { bundle: { dir: ctx.options.bundle, index: first + index } }
      : {
          ...(typeof pid === 'number' ? { pid } : {}),
          ...(typeof pprof === 'string' && pprof !== '' ? { pprof } : {}),
          ...(typeof gctrace === 'string' && gctrace !== '' ? { gctrace } : {}),
          // Remote targets: the collectors read through the transport (src/targets).
          ...(ctx.options.target !== undefined && ctx.options.target.kind !== 'local' ? { target: ctx.options.target } : {}),
        }),
    // Only the last snapshot is diffed: the series facts need the parsed values alone.
    ...(compareTo && last ? { compareTo } : {}),
  });

  const results: SnapshotResult[] = [];
  const artifacts: Record<string, string> = {};
  for (let index = 0; index < taken; index++) {
    // A replayed bundle's snapshots were taken `every` apart already.
    if (index > 0 && ctx.options.bundle === undefined && plan !== undefined && !(await countDown(ctx, plan.everyMs))) {
      return { status: 'cancelled', reason: 'snapshot series cancelled by the engineer', ...(results.length > 0 ? { facts: results[results.length - 1]!.facts } : {}) };
    }
    const dir = taken === 1 ? outDir : join(outDir, String(index));
    let result: SnapshotResult;
    try {
      result = await collectSnapshot(request(index, dir, index === taken - 1));
    } catch (error) {
      if (ctx.signal.aborted) return { status: 'cancelled', reason: 'snapshot cancelled by the engineer' };
      return failed(`snapshot: ${(error as Error).message}`);
    }
    if (ctx.signal.aborted) return { status: 'cancelled', reason: 'snapshot cancelled by the engineer', facts: result.facts };
    results.push(result);
    if (taken > 1) artifacts[`snapshot:${index}`] = dir;
  }
  const last = results[results.length - 1]!;
  const facts: Facts = { ...last.facts };
  const warnings = [...last.warnings];
  if (plan !== undefined) {
    const base = compareTo !== undefined ? baseFacts(ctx, spec.compare_to!) : [];
    const series = seriesFacts([...base, ...results.map((r) => r.facts)], spec.collect, plan, missing);
    facts['series'] = series.facts;
    warnings.push(...series.warnings);
  }
  const lastDir = taken === 1 ? outDir : join(outDir, String(taken - 1));
  return { status: 'passed', facts, warnings, artifacts: { ...last.artifacts, ...artifacts, snapshot: lastDir } };
}

/** How many snapshots the step takes: the series' own, or fewer when a replayed bundle has fewer left. */
function snapshotsToTake(ctx: StepContext, plan: SeriesPlan | undefined, first: number, hasBase: boolean): { taken: number; missing?: string } {
  if (plan === undefined) return { taken: 1 };
  if (ctx.options.bundle === undefined) return { taken: plan.taken };
  let left: number;
  try {
    left = readBundle(ctx.options.bundle).snapshotCount - first;
  } catch {
    return { taken: plan.taken };
  }
  if (left >= plan.taken) return { taken: plan.taken };
  const holds = Math.max(left, 0) + (hasBase ? 1 : 0);
  return {
    taken: Math.max(left, 1),
    missing: `the bundle holds ${holds} snapshot${holds === 1 ? '' : 's'} for this series, the step asks ${plan.count} (runbook capture --count ${first + plan.taken} takes enough)`,
  };
}

/** The compare_to step's parsed facts, the first point of the series. */
function baseFacts(ctx: StepContext, stepId: string): Facts[] {
  const found = ctx.scope.lookup([stepId]);
  return found.found && found.value !== null && typeof found.value === 'object' ? [found.value as Facts] : [];
}
