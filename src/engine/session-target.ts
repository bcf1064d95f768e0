// Which target a session runs against: `--target URL`, else the runbook input named
// `target` of type `target` (docs/remote.md). The journal records its URL; resume reads it back.
import type { EngineOptions } from './options.js';
import type { Runbook } from '../runbook/types.js';
import { parseTarget, type Target } from '../targets/target.js';

/** The session's remote target, or undefined for this host. */
export function sessionTarget(flag: Target | undefined, runbook: Runbook, inputs: Record<string, unknown>): Target | undefined {
  const fromInput = runbook.inputs['target']?.type === 'target' && typeof inputs['target'] === 'string' ? parseTarget(inputs['target']) : undefined;
  const target = flag ?? fromInput;
  return target?.kind === 'local' ? undefined : target;
}

/** session.started.target back into a Target (`local` and `bundle` are no remote target). */
export function targetOfJournal(recorded: string): Target | undefined {
  if (recorded === 'local' || recorded === 'bundle') return undefined;
  return parseTarget(recorded);
}

/** The options a session runs with: its own target only. A local or bundle session started
 *  or resumed from `runbook --target URL` must not send its steps there. */
export function withSessionTarget(options: EngineOptions, remote: Target | undefined): EngineOptions {
  const { target: _ignored, ...rest } = options;
  return remote !== undefined ? { ...rest, target: remote } : rest;
}
