// Validates runbook source text and, when it is valid, builds the typed Runbook.
// Order: safe YAML → shape (definition.ts) → semantics. Semantic checks assume the
// shape is right, so they run only when the structural pass found nothing.
import { isNode } from 'yaml';
import { checkShape } from './check-shape.js';
import { checkReferences } from './check-references.js';
import { checkSemantics } from './check-semantics.js';
import { runbookDefinition } from './definition.js';
import type { Problem } from './problem.js';
import { parseSafeYaml } from './safe-yaml.js';
import { STEP_KINDS, type Runbook, type Step } from './types.js';

export interface LoadResult {
  runbook?: Runbook;
  problems: Problem[];
}

export interface SourceIdentity {
  /** How problems name the file (the path as the user gave it). */
  displayName: string;
  /** Absolute path, recorded in the Runbook. */
  absolutePath: string;
  sha256: string;
}

export function validateRunbookSource(text: string, source: SourceIdentity): LoadResult {
  const file = source.displayName;
  const yaml = parseSafeYaml(text, file);
  if (yaml.document === undefined || yaml.problems.length > 0) return { problems: yaml.problems };
  const document = yaml.document;
  const place = (node: unknown) => yaml.position(isNode(node) ? (node.range?.[0] ?? 0) : 0);
  const shape = checkShape(document.contents, runbookDefinition, file, place);
  if (shape.problems.length > 0) return { problems: byPosition(shape.problems) };

  const plain = document.toJS({ maxAliasCount: 0 }) as Omit<Runbook, 'file' | 'sha256' | 'steps'> & { steps: Array<Record<string, unknown>> };
  const steps = plain.steps.map((raw, index): Step => {
    const kind = STEP_KINDS.find((candidate) => candidate in raw);
    const node = document.getIn(['steps', index], true);
    const loc = { file, ...place(node) };
    return { ...raw, kind, loc } as Step;
  });
  const runbook: Runbook = { ...plain, inputs: plain.inputs ?? {}, steps, file: source.absolutePath, sha256: source.sha256 };
  const problems = [
    ...checkSemantics({ runbook, strings: shape.strings, document, file, position: yaml.position }),
    ...checkReferences({ runbook, strings: shape.strings, source: text, file, position: yaml.position }),
  ];
  return problems.length > 0 ? { problems: byPosition(problems) } : { runbook, problems };
}

function byPosition(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}
