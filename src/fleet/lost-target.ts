// A child whose target went away mid-run can still conclude: its runbook branches on the
// evidence it did get (go-memory says insufficient-evidence, or worse, no-growth from one
// snapshot). For the fleet that member was not diagnosed. ssh says so unambiguously: it
// exits 255 when ssh itself failed (connection refused, no route, host key, dropped link),
// and with the remote command's own status otherwise (ssh(1), EXIT STATUS). kubectl has no
// such code (its own errors and a command's exit 1 look alike), so only ssh is judged.
import type { StepState } from '../engine/events.js';
import type { RemoteTarget } from '../targets/target.js';

const SSH_FAILED = 255;

/** Why the target was lost during the run, or undefined when every step reached it: a
 *  failed step (a run step's exit status, a read's reason), or a snapshot whose evidence
 *  is missing for that reason (a snapshot step passes with `missing: {collector: reason}`). */
export function lostTarget(target: RemoteTarget, steps: readonly StepState[]): string | undefined {
  if (target.kind !== 'ssh') return undefined;
  const sshFailed = new RegExp(`\\bexit ${SSH_FAILED}\\b`);
  for (const step of steps) {
    const finish = step.last;
    if (finish === undefined) continue;
    const reason = finish.reason ?? '';
    if (finish.status === 'failed' && (finish.exit_code === SSH_FAILED || sshFailed.test(reason))) {
      return `lost the target at step ${step.id}${reason !== '' ? ` (${reason})` : ` (ssh exit ${SSH_FAILED})`}`;
    }
    const missing = finish.facts?.['missing'];
    if (typeof missing !== 'object' || missing === null || Array.isArray(missing)) continue;
    const lost = Object.entries(missing).find(([, why]) => typeof why === 'string' && sshFailed.test(why));
    if (lost !== undefined) return `lost the target at step ${step.id} (${lost[0]}: ${String(lost[1])})`;
  }
  return undefined;
}
