// The objects the fake API server serves, as the real one words them (fields kubectl and
// a fleet resolver read: labels, owner references, the default-container annotation,
// phase, containerStatuses, deletionTimestamp; a workload's spec.selector and template).
import { createHash } from 'node:crypto';
import type { LabelSelector } from './label-selector.js';

/** Where a pod's execs run: a command prefix that enters its sandbox (pod-sandbox.ts), or
 *  none (the exec runs as a plain child on this machine). */
export interface ExecSandbox {
  enter: string[];
}

export interface FakePod {
  namespace: string;
  name: string;
  containers: string[];
  labels?: Record<string, string>;
  /** kubectl.kubernetes.io/default-container */
  defaultContainer?: string;
  /** Default Running. */
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  /** containerStatuses[].ready; default true when Running. */
  ready?: boolean;
  /** Being deleted: metadata.deletionTimestamp set (kubectl shows Terminating). */
  deleting?: boolean;
  /** The controller: a Deployment's pods are owned by its ReplicaSet `NAME-HASH`. */
  owner?: { kind: 'Deployment' | 'StatefulSet' | 'DaemonSet'; name: string };
  sandbox?: ExecSandbox;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface FakeWorkload {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  selector: LabelSelector;
  /** The pod template's labels (must satisfy the selector, as the real server validates). */
  templateLabels: Record<string, string>;
  containers: string[];
  replicas: number;
}

/** The plural resource name of each kind under apps/v1. */
export const WORKLOAD_RESOURCES: Record<string, WorkloadKind> = { deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet' };

const CREATED = '2026-01-01T00:00:00Z';

function uid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A Deployment's ReplicaSet name, as the deployment controller names it. */
export function replicaSetName(deployment: string): string {
  return `${deployment}-${createHash('sha256').update(deployment).digest('hex').slice(0, 10)}`;
}

function ownerReference(pod: FakePod): object[] {
  if (!pod.owner) return [];
  const [kind, name] = pod.owner.kind === 'Deployment' ? ['ReplicaSet', replicaSetName(pod.owner.name)] : [pod.owner.kind, pod.owner.name];
  return [{ apiVersion: 'apps/v1', kind, name, uid: uid(pod.namespace, kind, name), controller: true, blockOwnerDeletion: true }];
}

export function podJson(pod: FakePod): object {
  const phase = pod.phase ?? 'Running';
  const ready = pod.ready ?? phase === 'Running';
  const running = phase === 'Running';
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      uid: uid(pod.namespace, 'Pod', pod.name),
      resourceVersion: '1',
      creationTimestamp: CREATED,
      labels: pod.labels ?? {},
      ...(pod.defaultContainer !== undefined ? { annotations: { 'kubectl.kubernetes.io/default-container': pod.defaultContainer } } : {}),
      ...(pod.deleting ? { deletionTimestamp: CREATED, deletionGracePeriodSeconds: 30 } : {}),
      ownerReferences: ownerReference(pod),
    },
    spec: { containers: pod.containers.map((name) => ({ name, image: 'this-machine' })), nodeName: 'fake-node', restartPolicy: 'Always' },
    status: {
      phase,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: CREATED }],
      hostIP: '127.0.0.1',
      podIP: '127.0.0.1',
      startTime: CREATED,
      containerStatuses: pod.containers.map((name) => ({
        name,
        ready,
        started: running,
        restartCount: 0,
        image: 'this-machine',
        imageID: '',
        containerID: `containerd://${uid(pod.namespace, pod.name, name).replace(/-/g, '')}`,
        state: running ? { running: { startedAt: CREATED } } : { waiting: { reason: 'ContainerCreating' } },
      })),
    },
  };
}

export function workloadJson(workload: FakeWorkload, pods: FakePod[]): object {
  const owned = pods.filter((p) => p.owner?.kind === workload.kind && p.owner.name === workload.name && p.namespace === workload.namespace);
  const ready = owned.filter((p) => (p.phase ?? 'Running') === 'Running' && p.ready !== false).length;
  const template = { metadata: { labels: workload.templateLabels }, spec: { containers: workload.containers.map((name) => ({ name, image: 'this-machine' })) } };
  const spec = workload.kind === 'DaemonSet' ? { selector: workload.selector, template } : { replicas: workload.replicas, selector: workload.selector, template };
  const status =
    workload.kind === 'DaemonSet'
      ? { currentNumberScheduled: owned.length, desiredNumberScheduled: owned.length, numberReady: ready }
      : { replicas: owned.length, readyReplicas: ready, availableReplicas: ready };
  return {
    kind: workload.kind,
    apiVersion: 'apps/v1',
    metadata: { name: workload.name, namespace: workload.namespace, uid: uid(workload.namespace, workload.kind, workload.name), resourceVersion: '1', generation: 1, creationTimestamp: CREATED },
    spec,
    status,
  };
}

export function listJson(kind: string, apiVersion: string, items: object[]): object {
  return { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: '1' }, items };
}
