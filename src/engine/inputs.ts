// Runbook inputs: `--var name=value` text, defaults, or asked through the Interactor;
// checked and converted by declared type so expressions compare numbers as numbers.
import { findPprof } from '../collectors/discover.js';
import { findGoProcessByName, PROCESS_NAME_PREFIX } from '../collectors/process-by-name.js';
import type { ProcessHost } from '../collectors/process-host.js';
import { UserError } from '../errors.js';
import type { InputSpec, Runbook } from '../runbook/types.js';
import { sessionTarget } from './session-target.js';
import { parseTarget, type Target } from '../targets/target.js';
import { parseDuration } from '../util/duration.js';
import type { InputContext, Interactor } from './events.js';

export type InputValue = string | number | boolean;

/** The shortest value a `secret` input takes. */
const MIN_SECRET_LENGTH = 4;

/** Checks one input value against its declared type; a UserError saying what is expected. */
export function convertInput(name: string, spec: InputSpec, raw: string | number | boolean): InputValue {
  const text = String(raw).trim();
  const bad = (expected: string): UserError =>
    new UserError(`input ${name}: '${String(raw)}' is not ${expected}`, { hint: `pass --var ${name}=<${expected}>` });
  switch (spec.type) {
    case 'int':
    case 'pid': {
      // A process by name, found once the session's host is known (resolveProcessNames).
      if (spec.type === 'pid' && spec.discover === 'go' && text.startsWith(PROCESS_NAME_PREFIX)) return text;
      if (!/^[-+]?\d+$/.test(text)) throw bad(spec.type === 'pid' ? `a process id${spec.discover === 'go' ? ` (or ${PROCESS_NAME_PREFIX}NAME)` : ''}` : 'an integer');
      const value = Number(text);
      if (!Number.isSafeInteger(value) || (spec.type === 'pid' && value <= 0)) throw bad(spec.type === 'pid' ? 'a process id' : 'an integer');
      return value;
    }
    case 'number': {
      const value = Number(text);
      if (text === '' || !Number.isFinite(value)) throw bad('a number');
      return value;
    }
    case 'bool':
      if (['true', 'yes', '1'].includes(text.toLowerCase())) return true;
      if (['false', 'no', '0'].includes(text.toLowerCase())) return false;
      throw bad('true or false');
    case 'duration':
      if (!parseDuration(text).ok) throw bad('a duration (30s, 5m)');
      return text;
    case 'url':
      try {
        new URL(text);
      } catch {
        throw bad('a URL');
      }
      return text;
    case 'choice':
      if (!(spec.choices ?? []).includes(text)) throw bad(`one of ${(spec.choices ?? []).join(', ')}`);
      return text;
    case 'secret':
      // Output is masked before it is parsed or written: a one- or two-letter secret would
      // mask half of every word (keys, facts, notes) and hide nothing worth hiding.
      if (String(raw).length < MIN_SECRET_LENGTH) {
        throw new UserError(`input ${name}: a secret of ${String(raw).length} character(s) is too short to mask without destroying the output`, {
          hint: `secrets are at least ${MIN_SECRET_LENGTH} characters; use type string for a value that is not secret`,
        });
      }
      return String(raw);
    case 'target':
      // Checked like --target (src/targets): no option or shell syntax can get through.
      return parseTarget(String(raw)).url;
    default:
      // string, path: the text as given (not trimmed).
      return String(raw);
  }
}

export interface ResolveInputsOptions {
  given: Record<string, string>;
  /** Absent: check what was given (names, types) and leave a missing input unasked, as a
   *  fleet does once before its fan-out when each target may still ask. */
  interactor?: Interactor;
  /** Replaying a bundle: `live_only` inputs are not asked for. */
  replay: boolean;
  /** On resume: values from the first run (secrets excluded), used before defaults. */
  previous?: Record<string, unknown>;
  /** `--target`: with a runbook `target` input resolved before it, where a pid asked for is. */
  target?: Target;
}

export async function resolveInputs(runbook: Runbook, options: ResolveInputsOptions): Promise<Record<string, InputValue>> {
  const declared = Object.keys(runbook.inputs);
  for (const name of Object.keys(options.given)) {
    if (!(name in runbook.inputs)) {
      throw new UserError(`runbook ${runbook.id} has no input '${name}'`, {
        hint: declared.length > 0 ? `its inputs are ${declared.join(', ')}` : 'it takes no inputs',
      });
    }
  }
  const values: Record<string, InputValue> = {};
  for (const [name, spec] of Object.entries(runbook.inputs)) {
    const given = options.given[name];
    const previous = spec.type === 'secret' ? undefined : options.previous?.[name];
    if (given !== undefined) values[name] = convertInput(name, spec, given);
    else if (previous !== undefined && previous !== null) values[name] = previous as InputValue;
    else if (spec.default !== undefined) values[name] = convertInput(name, spec, spec.default);
    else if (options.replay && spec.live_only === true) continue;
    else if (spec.optional === true || options.interactor === undefined) continue;
    else values[name] = convertInput(name, spec, await options.interactor.input(name, spec, inputContext(runbook, spec, options.target, values)));
  }
  return values;
}

/** What the person asked for an input needs to know: for a pid, the host it is on. */
function inputContext(runbook: Runbook, spec: InputSpec, flag: Target | undefined, resolved: Record<string, InputValue>): InputContext {
  const target = spec.type === 'pid' ? sessionTarget(flag, runbook, resolved) : undefined;
  return target !== undefined ? { target } : {};
}

/** `pid` inputs given as `name:NAME` become the pid of the one Go process of that name on
 *  `host` (this one or the session's target); none or several stops the run, naming what is there. */
export async function resolveProcessNames(runbook: Runbook, values: Record<string, InputValue>, host: ProcessHost): Promise<void> {
  for (const [name, spec] of Object.entries(runbook.inputs)) {
    const value = values[name];
    if (spec.type !== 'pid' || typeof value !== 'string' || !value.startsWith(PROCESS_NAME_PREFIX)) continue;
    const found = await findGoProcessByName(value.slice(PROCESS_NAME_PREFIX.length), host);
    if (!found.ok) throw new UserError(`input ${name}: ${found.reason}`, { hint: `pass --var ${name}=PID (runbook ps lists the Go processes)` });
    values[name] = found.process.pid;
  }
}

/** How long each of the process's listening sockets gets to answer /debug/pprof/. */
const PPROF_PROBE_MS = 2000;

/** For a `pid` input with `discover: go`, the `pprof` input (the contract name, issue 5)
 *  comes from the process itself when the engineer gave none: the default port may belong
 *  to another process, whose profiles would silently answer for this one. Found nowhere,
 *  it is left empty, so snapshot steps record that evidence as missing. The pid is looked
 *  up on `host`: this one, or the session's remote target. */
export async function discoverPprofInput(runbook: Runbook, values: Record<string, InputValue>, host: ProcessHost): Promise<void> {
  if (runbook.inputs.pprof === undefined) return;
  const pidInput = Object.entries(runbook.inputs).find(([, spec]) => spec.type === 'pid' && spec.discover === 'go');
  const pid = pidInput === undefined ? undefined : values[pidInput[0]];
  if (typeof pid !== 'number') return;
  values.pprof = (await findPprof(pid, PPROF_PROBE_MS, host)) ?? '';
}
