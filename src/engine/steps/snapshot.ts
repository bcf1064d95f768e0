// `snapshot`: evidence from the collectors (live process or `--bundle` replay), written in
// the bundle layout under the step's artifact dir. Facts are per collector; their raw files
// are reachable in templates as `{{ stepid.<collector>.path }}`.
import { mkdirSync } from 'node:fs';
import { collectSnapshot } from '../../collectors/snapshot.js';
import type { SnapshotRequest, SnapshotResult } from '../../collectors/types.js';
import { DIR_MODE } from '../../journal/session-dir.js';
import type { Step } from '../../runbook/types.js';
import { failed, type StepContext, type StepOutcome } from './types.js';

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
  // Live targets come from the conventional inputs `pid`, `pprof` and `gctrace` (docs/engine.md).
  const { pid, pprof, gctrace } = ctx.inputs;
  const request: SnapshotRequest = {
    collect: spec.collect,
    outDir,
    signal: ctx.signal,
    redact: (bytes) => ctx.redactor.redactBytes(bytes),
    ...(ctx.options.bundle !== undefined
      ? { bundle: { dir: ctx.options.bundle, index: ctx.snapshotsBefore() } }
      : {
          ...(typeof pid === 'number' ? { pid } : {}),
          ...(typeof pprof === 'string' && pprof !== '' ? { pprof } : {}),
          ...(typeof gctrace === 'string' && gctrace !== '' ? { gctrace } : {}),
          // Remote targets: the collectors read through the transport (src/targets).
          ...(ctx.options.target !== undefined && ctx.options.target.kind !== 'local' ? { target: ctx.options.target } : {}),
        }),
    ...(compareTo ? { compareTo } : {}),
  };
  let result: SnapshotResult;
  try {
    result = await collectSnapshot(request);
  } catch (error) {
    if (ctx.signal.aborted) return { status: 'cancelled', reason: 'snapshot cancelled by the engineer' };
    return failed(`snapshot: ${(error as Error).message}`);
  }
  if (ctx.signal.aborted) return { status: 'cancelled', reason: 'snapshot cancelled by the engineer', facts: result.facts };
  return { status: 'passed', facts: result.facts, warnings: result.warnings, artifacts: { ...result.artifacts, snapshot: outDir } };
}
