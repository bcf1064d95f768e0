// `--fleet kubectl://…` → pods, through the real kubectl: the workload's selector from
// `kubectl get KIND/NAME -o json`, then `kubectl get pods -l SELECTOR -o json`. Argv only,
// a timeout and an output bound on each call; the JSON is read by pure functions.
import { UserError } from '../errors.js';
import { LOCAL_TARGET } from '../targets/target.js';
import { captureOnTarget } from '../targets/run-on-target.js';
import type { FleetSource } from './fleet-url.js';
import { podTargets, type PodTargets } from './pod-targets.js';
import { workloadSelector } from './workload-selector.js';

/** One call answers within this (an API server that slow is an incident of its own). */
const KUBECTL_TIMEOUT_MS = 30_000;
/** A pod list is ~10 KiB a pod: 64 MiB is several thousand pods. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface ResolveOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function resolveFleet(source: FleetSource, options: ResolveOptions = {}): Promise<PodTargets> {
  const base = ['kubectl', ...(source.context !== undefined ? ['--context', source.context] : []), 'get', '-n', source.namespace];
  let selector: string;
  if (source.kind === 'workload') {
    const workload = await kubectlJson(source.url, [...base, `${source.workload}/${source.name}`, '-o', 'json'], options);
    const found = workloadSelector(workload, `${source.workload} ${source.namespace}/${source.name}`);
    if (!found.ok) throw new UserError(`--fleet ${source.url}: ${found.reason}`, { hint: 'name the pods with ?selector=LABEL_SELECTOR instead' });
    selector = found.selector;
  } else {
    selector = source.selector;
  }
  const pods = await kubectlJson(source.url, [...base, 'pods', '-l', selector, '-o', 'json'], options);
  const scope = { namespace: source.namespace, ...(source.context !== undefined ? { context: source.context } : {}), ...(source.container !== undefined ? { container: source.container } : {}) };
  const resolved = podTargets(pods, scope);
  if (resolved.targets.length === 0 && resolved.undiagnosable.length === 0) {
    throw new UserError(`--fleet ${source.url}: no pod in namespace ${source.namespace} matches ${selector}`, { hint: `check with: kubectl get pods -n ${source.namespace} -l '${selector}'` });
  }
  return resolved;
}

async function kubectlJson(url: string, argv: string[], options: ResolveOptions): Promise<unknown> {
  const env: Record<string, string> = process.env.KUBECONFIG !== undefined ? { KUBECONFIG: process.env.KUBECONFIG } : {};
  const captured = await captureOnTarget(LOCAL_TARGET, argv, {
    timeoutMs: options.timeoutMs ?? KUBECTL_TIMEOUT_MS,
    maxBytes: MAX_ANSWER_BYTES,
    env,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  if (!captured.ok) throw new UserError(`--fleet ${url}: ${captured.reason}`, { hint: 'check that kubectl reaches the cluster (kubectl config current-context) and the names in the URL' });
  try {
    return JSON.parse(captured.bytes.toString('utf8'));
  } catch {
    throw new UserError(`--fleet ${url}: kubectl did not answer JSON to ${argv.join(' ')}`, { hint: 'check the kubectl on PATH' });
  }
}
