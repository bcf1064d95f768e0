// A child whose target went away mid-run can still conclude: its runbook branches on the
// evidence it did get (go-memory says insufficient-evidence, or worse, no-growth from one
// snapshot). For the fleet that member was not diagnosed. ssh says so by its exit status:
// 255 when ssh itself failed (connection refused, no route, host key, dropped link), the
// remote command's own status otherwise (ssh(1), EXIT STATUS). kubectl has no such code
// (its own errors and a command's exit 1 look alike), so only ssh is judged.
import type { StepState } from '../engine/events.js';
import { captureOnTarget } from '../targets/run-on-target.js';
import type { RemoteTarget } from '../targets/target.js';

const SSH_FAILED = 255;
const PROBE_TIMEOUT_MS = 15_000;

/** A step where ssh may have failed. `certain`: the tool's own reads and snapshots, whose
 *  remote commands (dd, od, ls, curl) never exit 255 themselves; a run step's command may
 *  (`exit -1`, `os.Exit(-1)`, a `local: true` step here), so the target is probed first. */
export interface LostCandidate {
  step: string;
  reason: string;
  certain: boolean;
}

/** The first step where ssh may have failed, or undefined when every step reached the target. */
export function lostCandidate(target: RemoteTarget, steps: readonly StepState[]): LostCandidate | undefined {
  if (target.kind !== 'ssh') return undefined;
  const sshFailed = new RegExp(`\\bexit ${SSH_FAILED}\\b`);
  for (const step of steps) {
    const finish = step.last;
    if (finish === undefined) continue;
    const reason = finish.reason ?? '';
    if (finish.status === 'failed' && finish.kind === 'run' && finish.exit_code === SSH_FAILED) {
      return { step: step.id, reason: reason !== '' ? reason : `exit ${SSH_FAILED}`, certain: false };
    }
    if (finish.status === 'failed' && finish.kind !== 'run' && sshFailed.test(reason)) return { step: step.id, reason, certain: true };
    // A snapshot passes with what it could not read under `missing: {collector: reason}`.
    const missing = finish.facts?.['missing'];
    if (typeof missing !== 'object' || missing === null || Array.isArray(missing)) continue;
    const lost = Object.entries(missing).find(([, why]) => typeof why === 'string' && sshFailed.test(why));
    if (lost !== undefined) return { step: step.id, reason: `${lost[0]}: ${String(lost[1])}`, certain: true };
  }
  return undefined;
}

/** Why the target was lost during the run, or undefined when it was not: an uncertain
 *  candidate counts only when ssh cannot reach the target now either. */
export async function lostTarget(target: RemoteTarget, steps: readonly StepState[], signal?: AbortSignal): Promise<string | undefined> {
  const candidate = lostCandidate(target, steps);
  if (candidate === undefined) return undefined;
  const lost = `lost the target at step ${candidate.step} (${candidate.reason})`;
  if (candidate.certain) return lost;
  const probe = await captureOnTarget(target, ['true'], { timeoutMs: PROBE_TIMEOUT_MS, maxBytes: 1024, what: 'true', ...(signal !== undefined ? { signal } : {}) });
  return probe.ok ? undefined : `${lost}; it does not answer now: ${probe.reason}`;
}
