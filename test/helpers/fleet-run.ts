// Reading a fleet run's `--json` output (docs/remote.md "Fleets"): its last line is the
// fleet's answer.
import { fileURLToPath } from 'node:url';

export interface FleetConcluded {
  type: 'fleet.concluded';
  fleet_id: string;
  status: string;
  groups: { finding: string; severity: string; targets: string[] }[];
  failed: { target: string; reason: string }[];
  outliers: unknown[];
}

/** The fleet.concluded record, which must be stdout's last line. */
export function fleetConcluded(stdout: string): FleetConcluded {
  const last = stdout.trimEnd().split('\n').at(-1) ?? '';
  const record = (last.startsWith('{') ? JSON.parse(last) : {}) as FleetConcluded;
  if (record.type !== 'fleet.concluded') throw new Error(`the last line of stdout is not fleet.concluded: ${last.slice(0, 500)}`);
  return record;
}

/** A runbook whose one step sleeps `seconds` (a marker the tests look for on each target). */
export const sleepRunbook = fileURLToPath(new URL('../fixtures/targets/remote-sleep.yaml', import.meta.url));
