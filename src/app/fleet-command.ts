// `runbook run RUNBOOK --fleet URL… | --targets FILE | --target URL --target URL…`: the
// members resolved (kubectl for --fleet), bounds from flags or settings, then the plain
// fleet runner (docs/remote.md "Fleets"). Everything a user can get wrong is refused here,
// before any target is touched (exit 2).
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkConcurrency, checkTargetTimeout, type Settings } from '../config/settings.js';
import type { EngineOptions } from '../engine/options.js';
import type { Interactor } from '../engine/events.js';
import { UserError } from '../errors.js';
import { parseFleetUrl } from '../fleet/fleet-url.js';
import { resolveFleet } from '../fleet/resolve-fleet.js';
import type { FleetMember } from '../fleet/run-fleet.js';
import { readTargetsFile } from '../fleet/targets-file.js';
import type { Runbook } from '../runbook/types.js';
import { runFleetPlain } from '../runner/run-fleet-plain.js';
import { parseTarget } from '../targets/target.js';

export interface FleetFlags {
  fleet?: string[];
  targets?: string;
  /** Two or more `--target` URLs. */
  target?: string[];
  concurrency?: string;
  targetTimeout?: string;
  json: boolean;
  /** `--notes FILE`: the fleet notes (markdown) once the run ends. */
  notes?: string;
  /** The front-end decision (app/interactive.ts): a terminal gets the fleet view. */
  interactive: boolean;
}

/** Whether these flags name a fleet rather than one target. */
export function namesFleet(flags: { fleet?: string[]; targets?: string; target?: string[] }): boolean {
  return (flags.fleet?.length ?? 0) > 0 || flags.targets !== undefined || (flags.target?.length ?? 0) > 1;
}

export interface FleetRunContext {
  runbook: Runbook;
  stateDir: string;
  settings: Settings;
  options: EngineOptions;
  vars: Record<string, string>;
  person: Interactor;
}

export async function fleetCommand(flags: FleetFlags, context: FleetRunContext): Promise<number> {
  if (flags.notes !== undefined && flags.notes.endsWith('.json')) throw new UserError(`--notes ${flags.notes}: a fleet's notes are markdown`, { hint: 'give a .md file; the records are in runbook sessions --json' });
  // Checked now: a missing directory found when the fleet ends would turn its 0/1/130 into 2.
  if (flags.notes !== undefined && !isDirectory(dirname(resolve(flags.notes)))) {
    throw new UserError(`--notes ${flags.notes}: ${dirname(resolve(flags.notes))} is not a directory`, { hint: 'create it first, or give a path in an existing directory' });
  }
  if (flags.notes !== undefined && flags.interactive) throw new UserError('--notes is written by a headless fleet run; the fleet view shows the fleet export command at its end', { hint: `add --non-interactive, or run runbook export FLEET_ID --out ${flags.notes} afterwards` });
  const concurrency = checkConcurrency(flags.concurrency ?? context.settings.fleet_concurrency, flags.concurrency !== undefined ? '--concurrency' : 'setting fleet_concurrency');
  const targetTimeoutMs = checkTargetTimeout(flags.targetTimeout ?? context.settings.fleet_target_timeout, flags.targetTimeout !== undefined ? '--target-timeout' : 'setting fleet_target_timeout');
  const sources = (flags.fleet ?? []).map(parseFleetUrl); // every URL checked before kubectl runs
  const members: FleetMember[] = [];
  const spec: string[] = [];
  const add = (member: FleetMember): void => {
    if (!members.some((m) => m.url === member.url)) members.push(member);
  };
  for (const url of flags.target ?? []) {
    const target = parseTarget(url);
    if (target.kind === 'local') throw new UserError(`--target ${url}: 'local' is this host, not a fleet member`, { hint: 'give ssh:// or kubectl:// URLs' });
    spec.push(`--target ${url}`);
    add({ url: target.url, target });
  }
  if (flags.targets !== undefined) {
    spec.push(`--targets ${flags.targets}`);
    for (const target of await readTargetsFile(flags.targets)) add({ url: target.url, target });
  }
  for (const source of sources) {
    spec.push(`--fleet ${source.url}`);
    const resolved = await resolveFleet(source);
    for (const warning of resolved.warnings) process.stderr.write(`warning: ${warning}\n`);
    for (const target of resolved.targets) add({ url: target.url, target });
    for (const pod of resolved.undiagnosable) add({ url: pod.target, undiagnosable: pod.reason });
  }
  const setup = { runbook: context.runbook, stateDir: context.stateDir, options: context.options, vars: context.vars, person: context.person, members, spec, concurrency, targetTimeoutMs };
  if (flags.interactive) {
    const { runFleetTui } = await import('../tui/run-fleet-tui.js');
    return runFleetTui(setup);
  }
  return runFleetPlain(setup, { json: flags.json, ...(flags.notes !== undefined ? { notes: flags.notes } : {}) });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
