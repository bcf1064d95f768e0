// Paste-back: a run or read step done by hand. The engineer ran the command wherever they
// could and pasted its output; it becomes the step's evidence (redacted like any output),
// through the same parser and branches, and the journal says by_hand (docs/remote.md).
import type { StepContext, StepOutcome } from './types.js';
import { parseEvidence } from './parse-output.js';
import { ExcerptBuilder } from '../../exec/output-excerpt.js';
import { writeArtifact } from '../../journal/artifacts.js';

export interface PastedEvidence {
  /** `stdout` for run steps, `content` for read steps (the artifact the step would write). */
  artifact: 'stdout' | 'content';
  parse?: string;
  parseOptions?: Record<string, unknown>;
  /** Facts the step kind always has (exit_code, path, …), as if it had run. */
  meta: StepOutcome['meta'];
}

export function pastedOutcome(ctx: StepContext, text: string, evidence: PastedEvidence): StepOutcome {
  const redactor = ctx.redactor.stream();
  const redacted = redactor.push(text) + redactor.end();
  const path = ctx.artifact(evidence.artifact);
  writeArtifact(path, redacted);
  const bytes = Buffer.byteLength(redacted);
  const excerpt = new ExcerptBuilder();
  excerpt.push(redacted);
  const common: StepOutcome = {
    status: 'passed',
    by_hand: true,
    artifacts: { [evidence.artifact]: path },
    ...(evidence.artifact === 'stdout' ? { output: excerpt.result(bytes) } : {}),
    meta: { ...evidence.meta, by_hand: true, bytes },
  };
  if (evidence.parse === undefined) return common;
  const parsed = parseEvidence(path, evidence.parse, evidence.parseOptions, ctx.scope);
  const outcome = { ...common, facts: parsed.facts, warnings: parsed.warnings };
  return parsed.error ? { ...outcome, status: 'failed', reason: parsed.error } : outcome;
}
