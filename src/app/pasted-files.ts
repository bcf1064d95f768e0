// `--output STEPID=FILE` (paste-back in the plain runner): each file's content becomes the
// output of that run or read step (docs/remote.md). Checked before the session starts, so
// a typo in a step id or a missing file never surfaces halfway through an incident.
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import type { Runbook } from '../runbook/types.js';

export function readPastedOutputs(pairs: Record<string, string>, runbook: Runbook): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [stepId, file] of Object.entries(pairs)) {
    const step = runbook.steps.find((s) => s.id === stepId);
    const byHand = runbook.steps.filter((s) => s.kind === 'run' || s.kind === 'read').map((s) => s.id);
    if (step === undefined) throw new UserError(`--output ${stepId}=${file}: runbook ${runbook.id} has no step '${stepId}'`, { hint: `its run and read steps are ${byHand.join(', ') || '(none)'}` });
    if (step.kind !== 'run' && step.kind !== 'read') {
      throw new UserError(`--output ${stepId}=${file}: step ${stepId} is a ${step.kind} step; only run and read steps can be done by hand`, { hint: `its run and read steps are ${byHand.join(', ') || '(none)'}` });
    }
    try {
      outputs[stepId] = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UserError(`--output ${stepId}=${file}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { hint: 'save the pasted output to a file first, e.g. pbpaste > out.txt' });
    }
  }
  return outputs;
}
