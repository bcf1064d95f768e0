// A live run's pid inputs are checked before the first step: a wrong pid must stop the run
// at once (exit 2), not pass a snapshot with every fact missing and wait out an interval
// to conclude "insufficient evidence" (issue 12). `runbook capture` checks the same way.
import type { ProcessHost } from '../collectors/process-host.js';
import { UserError } from '../errors.js';
import type { Runbook } from '../runbook/types.js';
import type { InputValue } from './inputs.js';

/** Collectors that read /proc files only the process's user or root may read (ptrace access). */
const PTRACE_READ = new Set(['maps', 'smaps', 'smaps_rollup', 'environ']);

export async function checkPidInputs(runbook: Runbook, values: Record<string, InputValue>, host: ProcessHost): Promise<void> {
  const needsPtraceRead = runbook.steps.some((step) => step.kind === 'snapshot' && step.snapshot.collect.some((c) => PTRACE_READ.has(c)));
  const on = host.label === 'this host' ? '' : ` on ${host.label}`;
  for (const [name, spec] of Object.entries(runbook.inputs)) {
    const pid = values[name];
    if (spec.type !== 'pid' || typeof pid !== 'number') continue;
    const what = `${name} ${pid}${on}`;
    const status = await host.readProcFile(`/proc/${pid}/status`);
    if (!status.ok) throw new UserError(`${what}: ${status.reason}`, { hint: `list the Go processes with \`runbook ps${on === '' ? '' : ` --target ${host.label}`}\`` });
    if (!needsPtraceRead) continue;
    const maps = await host.readProcFile(`/proc/${pid}/maps`);
    if (!maps.ok) throw new UserError(`${what}: ${maps.reason}`, { hint: "run runbook as the process's user or root, or on the process's host (--target)" });
  }
}
