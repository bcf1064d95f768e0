// What a step executor gets from the session and gives back. One executor per step kind
// (steps/<kind>.ts); the session owns the journal, the facts and the branching.
import type { Scope } from '../../expr/index.js';
import type { OutputExcerpt } from '../../exec/output-excerpt.js';
import type { CommandRecord, StepStatus } from '../../journal/records.js';
import type { SessionPaths } from '../../journal/session-dir.js';
import type { FactValue, Facts } from '../../parsers/types.js';
import type { Redactor } from '../../redact/types.js';
import type { ConcludeSpec, InputSpec, Step } from '../../runbook/types.js';
import type { EngineEvent, Interactor } from '../events.js';
import type { EngineOptions } from '../options.js';

export interface StepContext {
  step: Step;
  attempt: number;
  paths: SessionPaths;
  /** Inputs, finished steps' facts by id, built-ins: scopeFrom(layers). */
  scope: Scope;
  /** The layers of `scope`, for executors that add their own (compute). */
  layers: Array<Record<string, unknown>>;
  inputs: Record<string, unknown>;
  /** The runbook's declared inputs: a step can say which optional one it lacks. */
  declaredInputs: Record<string, InputSpec>;
  interactor: Interactor;
  /** Aborted by cancelCurrent() (Ctrl+C, SIGINT). */
  signal: AbortSignal;
  redactor: Redactor;
  options: EngineOptions;
  /** Paste-back (docs/remote.md): output the engineer got by running the step by hand. */
  pastedOutput?: string;
  emit(event: EngineEvent): void;
  /** Writes step.started; executors call it once, after rendering their command. */
  started(command?: CommandRecord): void;
  /** Absolute path for a new artifact of this step attempt (`artifacts/<step>-<attempt>.<suffix>`). */
  artifact(suffix: string): string;
  /** The bundle index of this step's snapshot: a re-run keeps its index; other steps get the count of snapshot steps passed. */
  snapshotsBefore(): number;
  /** Snapshot steps: the evidence dir of an earlier snapshot step (compare_to). */
  snapshotDir(stepId: string): string | undefined;
}

export interface StepOutcome {
  status: StepStatus;
  /** Why it failed, was skipped or cancelled, in words. */
  reason?: string;
  /** Parsed or computed facts. */
  facts?: Facts;
  /** Facts every step of this kind gets (exit_code, http_status, answer, …): docs/engine.md. */
  meta?: Record<string, FactValue>;
  warnings?: string[];
  /** Name → absolute path. */
  artifacts?: Record<string, string>;
  output?: OutputExcerpt;
  exit_code?: number | null;
  signal?: string | null;
  answer?: string;
  checklist?: Array<{ item: string; checked: boolean }>;
  note?: string;
  /** An ask choice's goto: taken without evaluating `next`. */
  answerGoto?: string;
  /** The rendered conclusion: text, remediation and the key numbers that rendered as numbers. */
  conclusion?: Omit<ConcludeSpec, 'numbers'> & { numbers?: Record<string, number> };
  /** The output was pasted by the engineer, not produced by the tool (step.finished.by_hand). */
  by_hand?: boolean;
}

export type StepExecutor = (ctx: StepContext) => Promise<StepOutcome>;

export function failed(reason: string, extra: Partial<StepOutcome> = {}): StepOutcome {
  return { status: 'failed', reason, ...extra };
}

/** A `live: true` run, read or fetch step while a bundle is replayed: started and skipped,
 *  with `needs` saying what the bundle cannot give. Undefined when the step should run. */
export function skippedOnReplay(ctx: StepContext, spec: { live?: boolean }, needs: string): StepOutcome | undefined {
  // Output pasted by the engineer (run by hand on the target) stands in for the live process.
  if (spec.live !== true || ctx.options.bundle === undefined || ctx.pastedOutput !== undefined) return undefined;
  ctx.started();
  return { status: 'skipped', reason: `${needs}; replaying the bundle ${ctx.options.bundle}` };
}
