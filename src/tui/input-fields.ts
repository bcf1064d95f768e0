// Which inputs the inputs form asks for, prefilled: every input not given on the command
// line, except those the mode ignores (a bundle replay runs no wait and no live step, and
// its snapshots read the bundle, not the process), and a `discover: go` pid the process
// picker asks for instead. Empty optional fields are left out of what is submitted, so the
// engine applies the default (and finds the pprof address from the process itself).
import type { InputSpec, Runbook, Step } from '../runbook/types.js';
import type { InputField } from './InputsForm.js';

/** Inputs the snapshot collectors read from a live process (docs/engine.md). */
const LIVE_SNAPSHOT_INPUTS = new Set(['pid', 'pprof', 'gctrace']);

export interface FieldContext {
  /** Replaying a bundle. */
  replay: boolean;
  /** Given on the command line: not asked. */
  given?: Record<string, string>;
  /** Known already (a picked process, a bundle's meta): prefilled. */
  pid?: number;
  pprof?: string | null;
}

export function inputFields(runbook: Runbook, context: FieldContext): InputField[] {
  const given = context.given ?? {};
  return Object.entries(runbook.inputs)
    .filter(([name]) => given[name] === undefined)
    .filter(([name, spec]) => !(context.replay && ignoredOnReplay(runbook, name, spec)))
    .filter(([, spec]) => !(spec.type === 'pid' && spec.discover === 'go' && context.pid === undefined))
    .map(([name, spec]) => ({ name, spec, initial: initialValue(runbook, name, spec, context) }));
}

/** The form's values as `--var`s: an empty optional field is not given. */
export function submittedVars(fields: readonly InputField[], values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([name, value]) => !(value === '' && fields.find((f) => f.name === name)?.spec.optional === true)));
}

function initialValue(runbook: Runbook, name: string, spec: InputSpec, context: FieldContext): string {
  if (spec.type === 'pid' && context.pid !== undefined) return String(context.pid);
  if (name === 'pprof') {
    // A picked process's own address (none: empty) beats a default port, which may be another
    // process's; with no process picked, a `discover: go` runbook lets the engine find it.
    if (context.pprof !== undefined) return context.pprof ?? '';
    if (Object.values(runbook.inputs).some((s) => s.type === 'pid' && s.discover === 'go')) return '';
  }
  return spec.default !== undefined ? String(spec.default) : '';
}

/** A replay reads the bundle: an input only live steps, waits or live snapshots use is not read. */
function ignoredOnReplay(runbook: Runbook, name: string, spec: InputSpec): boolean {
  if (spec.live_only === true) return true;
  const uses = new RegExp(`(^|[^A-Za-z0-9_.])${name.replace(/[^A-Za-z0-9_]/g, '\\$&')}(?![A-Za-z0-9_])`);
  const usedBy = runbook.steps.filter((step) => namesUsed(step).some((text) => uses.test(text)));
  return usedBy.every(skippedOnReplay) && (usedBy.length > 0 || LIVE_SNAPSHOT_INPUTS.has(name));
}

function skippedOnReplay(step: Step): boolean {
  switch (step.kind) {
    case 'wait':
      return true;
    case 'run':
      return step.run.live === true;
    case 'read':
      return step.read.live === true;
    case 'fetch':
      return step.fetch.live === true;
    case 'query':
      // A replay reads the recorded answer: no Prometheus, no credentials.
      return true;
    default:
      return false;
  }
}

/** Where a step uses names (not where its prose mentions them): its templates and expressions.
 *  A snapshot series' `every` is the wait between live snapshots: a replay reads the bundle's. */
function namesUsed(step: Step): string[] {
  const read = step.kind === 'snapshot' && step.snapshot.series ? { ...step, snapshot: { ...step.snapshot, series: { ...step.snapshot.series, every: '' } } } : step;
  const templates = [...JSON.stringify(read).matchAll(/\{\{(.*?)\}\}/g)].map((match) => match[1] ?? '');
  const expressions = [...(step.next ?? []).map((rule) => rule.when ?? ''), ...(step.kind === 'compute' ? Object.values(step.compute) : [])];
  return [...templates, ...expressions];
}
