// `kubectl get pods -o json` → one target per pod that can be diagnosed, and the others
// with why not (Pending, Terminating, the container not running). Pure and total: any JSON
// gives a result; what it cannot read is a reason, never a throw.
import { UserError } from '../errors.js';
import { parseTarget, type RemoteTarget } from '../targets/target.js';

export interface Undiagnosable {
  /** The pod's URL (or its name when no URL can be written for it). */
  target: string;
  reason: string;
}

export interface PodTargets {
  targets: RemoteTarget[];
  undiagnosable: Undiagnosable[];
  warnings: string[];
}

export interface PodScope {
  namespace: string;
  context?: string;
  /** `container=` of the fleet URL; else the default-container annotation, else the first. */
  container?: string;
}

const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A field as one line: the API server's free text (reasons, phases) may hold newlines
 *  that would fake a line of the fleet's progress. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ') : undefined;
}

/** The pod URL of src/targets/target.ts (a context with `/` written %2F). */
export function podUrl(scope: { namespace: string; context?: string }, pod: string, container: string): string {
  const context = scope.context === undefined ? '' : encodeURIComponent(scope.context).replaceAll('%40', '@').replaceAll('%3A', ':');
  return `kubectl://${context}/${scope.namespace}/${pod}/${container}`;
}

export function podTargets(json: unknown, scope: PodScope): PodTargets {
  const out: PodTargets = { targets: [], undiagnosable: [], warnings: [] };
  const items = record(json).items;
  if (!Array.isArray(items)) {
    out.warnings.push('kubectl answered without an items list');
    return out;
  }
  for (const item of items) {
    const metadata = record(record(item).metadata);
    const name = text(metadata.name);
    if (name === undefined) {
      out.warnings.push('a pod without a name was left out');
      continue;
    }
    const pod = podTarget(record(item), name, scope);
    if ('reason' in pod) out.undiagnosable.push(pod);
    else {
      out.targets.push(pod.target);
      if (pod.warning !== undefined) out.warnings.push(pod.warning);
    }
  }
  return out;
}

function podTarget(item: Record<string, unknown>, name: string, scope: PodScope): Undiagnosable | { target: RemoteTarget; warning?: string } {
  const metadata = record(item.metadata);
  const spec = record(item.spec);
  const status = record(item.status);
  const containers = (Array.isArray(spec.containers) ? spec.containers : []).map((c) => text(record(c).name)).filter((c): c is string => c !== undefined);
  const annotated = text(record(metadata.annotations)[DEFAULT_CONTAINER]);
  const container = scope.container ?? (annotated !== undefined && containers.includes(annotated) ? annotated : containers[0]);
  const label = container !== undefined ? podUrl(scope, name, container) : `pod ${scope.namespace}/${name}`;
  const deleting = text(metadata.deletionTimestamp);
  if (deleting !== undefined) return { target: label, reason: `terminating (deletion requested at ${deleting})` };
  if (container === undefined) return { target: label, reason: 'the pod spec lists no container' };
  if (!containers.includes(container)) return { target: label, reason: `has no container ${container} (its containers: ${containers.join(', ') || 'none'})` };
  const phase = text(status.phase) ?? 'unknown';
  const statuses = (Array.isArray(status.containerStatuses) ? status.containerStatuses : []).map(record);
  const own = statuses.find((s) => s.name === container);
  const waiting = record(record(own?.state).waiting);
  const terminated = record(record(own?.state).terminated);
  const why = text(waiting.reason) ?? text(terminated.reason) ?? text(status.reason);
  if (phase !== 'Running') return { target: label, reason: `pod is ${phase}${why !== undefined ? ` (${why})` : ''}: no process to examine` };
  if (own === undefined || record(own.state).running === undefined) {
    return { target: label, reason: `container ${container} is not running${why !== undefined ? ` (${why})` : ''}` };
  }
  let target: RemoteTarget;
  try {
    target = parseTarget(label) as RemoteTarget;
  } catch (error) {
    if (error instanceof UserError) return { target: label, reason: error.message };
    throw error;
  }
  // Not ready still runs the process: exactly the pod to diagnose, said so in the output.
  return own.ready === false ? { target, warning: `${label}: container ${container} is running but not ready` } : { target };
}
