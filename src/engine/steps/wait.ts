// `wait`: a pause between two snapshots, with a countdown the front ends show.
import { bundleSnapshotGapMs } from '../../collectors/snapshot.js';
import type { Step } from '../../runbook/types.js';
import { renderText } from '../../template/index.js';
import { formatDuration, parseDuration } from '../../util/duration.js';
import { failed, type StepContext, type StepOutcome } from './types.js';

const TICK_MS = 1000;

export async function waitStep(ctx: StepContext): Promise<StepOutcome> {
  const step = ctx.step as Extract<Step, { kind: 'wait' }>;
  // A bundle's snapshots were taken an interval apart already: waiting again adds nothing.
  if (ctx.options.bundle !== undefined) {
    const gapMs = bundleSnapshotGapMs(ctx.options.bundle, ctx.snapshotsBefore());
    const gap = gapMs === undefined ? 'an unknown time' : formatDuration(gapMs);
    ctx.started();
    return { status: 'skipped', reason: `replaying a bundle: its snapshots are already ${gap} apart` };
  }
  ctx.started();
  const text = renderText(step.wait, ctx.scope);
  if (!text.ok) return failed(`wait: ${text.error}`);
  const duration = parseDuration(text.text);
  if (!duration.ok) return failed(`wait: ${duration.error}`);
  const startedAt = Date.now();
  const finished = await countDown(ctx, duration.ms);
  const meta = { waited_ms: Date.now() - startedAt };
  return finished ? { status: 'passed', meta } : { status: 'cancelled', reason: 'wait cancelled by the engineer', meta };
}

/** Waits `ms` with step.progress events each second; false when the engineer cancelled. */
export function countDown(ctx: StepContext, ms: number): Promise<boolean> {
  const startedAt = Date.now();
  return new Promise<boolean>((resolve) => {
    const tick = (): void => {
      const elapsed = Date.now() - startedAt;
      const remaining = ms - elapsed;
      if (remaining <= 0) return done(true);
      ctx.emit({ type: 'step.progress', step: ctx.step.id, elapsed_ms: elapsed, remaining_ms: remaining });
      timer = setTimeout(tick, Math.min(TICK_MS, remaining));
    };
    const done = (completed: boolean): void => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(completed);
    };
    const onAbort = (): void => done(false);
    let timer = setTimeout(tick, 0);
    if (ctx.signal.aborted) return done(false);
    ctx.signal.addEventListener('abort', onAbort);
  });
}
