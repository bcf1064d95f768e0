// The names templates and expressions see (docs/engine.md "Variables"):
//   inputs by name; each finished step by id (its facts, its kind's built-in facts, status,
//   artifact paths; the built-ins also under `stepid.step`); built-ins session.id/dir/host,
//   runbook.id, target. In a step's own `next` rules its facts are also visible by bare name.
import { isAbsolute, join } from 'node:path';
import type { StepFinishedRecord } from '../journal/records.js';
import type { Facts } from '../parsers/types.js';

export interface Builtins {
  session: { id: string; dir: string; host: string };
  runbook: { id: string };
  target: string;
}

/** The artifact `{{ stepid.artifact }}` names: the step's main evidence. */
const MAIN_ARTIFACT = ['stdout', 'content', 'body', 'snapshot'];

/** What `stepid` resolves to once the step has finished. */
export function stepView(record: StepFinishedRecord, facts: Facts, sessionDir: string): Record<string, unknown> {
  const artifacts: Record<string, string> = {};
  for (const [name, path] of Object.entries(record.artifacts ?? {})) artifacts[name] = isAbsolute(path) ? path : join(sessionDir, path);
  const view: Record<string, unknown> = { ...facts };
  // Snapshot collectors: `{{ before.heap.path }}` is the raw evidence of the heap collector.
  for (const [name, path] of Object.entries(artifacts)) {
    const fact = facts[name];
    if (fact !== null && typeof fact === 'object' && !Array.isArray(fact)) view[name] = { ...fact, path };
  }
  const main = MAIN_ARTIFACT.find((name) => artifacts[name] !== undefined);
  const builtins: Record<string, unknown> = {
    ...(record.meta ?? {}),
    status: record.status,
    attempt: record.attempt,
    duration_ms: record.duration_ms,
    ...(record.reason !== undefined ? { reason: record.reason } : {}),
    artifacts,
    ...(main !== undefined ? { artifact: artifacts[main] } : {}),
  };
  // A parsed or collected fact wins over a built-in of the same name (the snapshot
  // collector `status` vs the step's status: `after.status.vm_rss_kb` must work);
  // the built-ins stay reachable under `stepid.step`.
  return { ...builtins, ...view, facts, step: builtins };
}
