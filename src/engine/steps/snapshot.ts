// `snapshot`: evidence from the collectors (live process or `--bundle` replay), written in
// the bundle layout under the step's artifact dir. Facts are per collector; their raw files
// are reachable in templates as `{{ stepid.<collector>.path }}`.
import { mkdirSync } from 'node:fs';
import type { SnapshotRequest, SnapshotResult } from '../../collectors/types.js';
import { DIR_MODE } from '../../journal/session-dir.js';
import type { Step } from '../../runbook/types.js';
import { failed, type StepContext, type StepOutcome } from './types.js';

type CollectSnapshot = (request: SnapshotRequest) => Promise<SnapshotResult>;

// The collectors are built on another branch (gosvc); until they are merged the step fails
// with this reason instead of the build failing. Replace with a static import once merged.
const COLLECTORS_MODULE = '../../collectors/snapshot.js';

async function loadCollector(): Promise<CollectSnapshot | string> {
  try {
    const mod = (await import(COLLECTORS_MODULE)) as { collectSnapshot?: CollectSnapshot };
    return mod.collectSnapshot ?? 'the collectors module has no collectSnapshot';
  } catch (error) {
    return `snapshot collectors are not available in this build (${(error as Error).message})`;
  }
}

export async function snapshotStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'snapshot' }>;
  const spec = step.snapshot;
  ctx.started();
  const collect = await loadCollector();
  if (typeof collect === 'string') return failed(collect);
  const outDir = ctx.artifact('snapshot');
  mkdirSync(outDir, { mode: DIR_MODE });
  let compareTo: SnapshotRequest['compareTo'];
  if (spec.compare_to !== undefined) {
    const dir = ctx.snapshotDir(spec.compare_to);
    if (dir === undefined) return failed(`compare_to: step ${spec.compare_to} has no finished snapshot in this session`);
    compareTo = { dir };
  }
  const pid = ctx.inputs.pid;
  const pprof = ctx.inputs.pprof;
  const request: SnapshotRequest = {
    collect: spec.collect,
    outDir,
    signal: ctx.signal,
    ...(ctx.options.bundle !== undefined
      ? { bundle: { dir: ctx.options.bundle, index: ctx.snapshotsBefore() } }
      : {
          ...(typeof pid === 'number' ? { pid } : {}),
          ...(typeof pprof === 'string' && pprof !== '' ? { pprof } : {}),
        }),
    ...(compareTo ? { compareTo } : {}),
  };
  let result: SnapshotResult;
  try {
    result = await collect(request);
  } catch (error) {
    if (ctx.signal.aborted) return { status: 'cancelled', reason: 'snapshot cancelled by the engineer' };
    return failed(`snapshot: ${(error as Error).message}`);
  }
  if (ctx.signal.aborted) return { status: 'cancelled', reason: 'snapshot cancelled by the engineer', facts: result.facts };
  return { status: 'passed', facts: result.facts, warnings: result.warnings, artifacts: { ...result.artifacts, snapshot: outDir } };
}
