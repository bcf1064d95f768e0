// How a session runs: chosen by the front end from flags and settings.
import type { ConfirmPolicy } from '../config/settings.js';
import type { Target } from '../targets/target.js';

export interface EngineOptions {
  /** `--yes`: confirmations (mutating steps, re-running interrupted steps) are given. */
  yes: boolean;
  mode: 'interactive' | 'plain';
  /** `--bundle DIR`: snapshot steps replay the bundle; live steps are skipped. */
  bundle?: string;
  /** Timeout of run/fetch steps that set none. */
  defaultTimeoutMs: number;
  confirm: ConfirmPolicy;
  /** Grace between TERM and KILL of a step's process group. */
  graceMs?: number;
  /** `--target URL` (src/targets, docs/remote.md): run/read/snapshot steps run there. Absent: local. */
  target?: Target;
  /** The `prometheus` setting: where query steps ask when neither the step nor an input names one. */
  prometheus?: string;
  /** `--output STEPID=FILE` (paste-back): the step is not run; this text is its output. */
  pastedOutputs?: Record<string, string>;
}
