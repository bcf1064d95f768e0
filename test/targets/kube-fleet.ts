// A fake cluster serving one Deployment whose pods run in sandboxes (pod-sandbox.ts), for
// the fleet tests and the fleet benchmark: `kubectl://CONTEXT/NAMESPACE/deployment/NAME`
// resolves to its pods, and an exec in pod i runs inside pod i's sandbox, where the Go test
// service of pod i is the only `leaky`. Two decoy pods share the namespace: a canary (same
// app label, tier=canary, excluded by the selector's NotIn) and another app's pod.
// With `sandboxes` below the pod count, pod i shares sandbox i % sandboxes (the benchmark's
// 200 pods on a 2-core machine); every test that needs isolation gives each pod its own.
import { startFakeKubeApiserver, type FakeCluster, type FakeKubeApiserver } from './fake-kube-apiserver.js';
import { replicaSetName, type FakePod, type FakeWorkload } from './fake-kube-objects.js';
import { kubectlClient } from './kubectl-client.js';
import { startSandbox, type Sandbox, type SandboxService } from './pod-sandbox.js';

export const FLEET_CONTEXT = 'prod';
export const FLEET_NAMESPACE = 'payments';
export const FLEET_DEPLOYMENT = 'payments-api';
export const FLEET_CONTAINER = 'app';

export interface KubeFleet {
  api: FakeKubeApiserver;
  cluster: FakeCluster;
  /** The Deployment's pods, in order (pod i runs services(i % sandboxes)). */
  pods: FakePod[];
  sandboxes: Sandbox[];
  /** kubectl://prod/payments/deployment/payments-api */
  deploymentUrl: string;
  /** kubectl://prod/payments/NAME/app: pod i as --target takes it. */
  podUrl(i: number): string;
  stop(): Promise<void>;
}

export async function startKubeFleet(options: { pods: number; services: (i: number) => SandboxService[]; sandboxes?: number }): Promise<KubeFleet> {
  const sandboxCount = Math.min(options.sandboxes ?? options.pods, options.pods);
  const sandboxes: Sandbox[] = [];
  const stopSandboxes = () => Promise.all(sandboxes.map((s) => s.stop()));
  try {
    // One at a time: each waits for its services to listen, and a 2-core machine starts
    // them no faster in parallel.
    for (let i = 0; i < sandboxCount; i++) sandboxes.push(await startSandbox({ label: `pod sandbox ${i}`, services: options.services(i) }));
  } catch (error) {
    await stopSandboxes();
    throw error;
  }
  const labels = { app: FLEET_DEPLOYMENT, tier: 'web' };
  const workload: FakeWorkload = {
    kind: 'Deployment',
    namespace: FLEET_NAMESPACE,
    name: FLEET_DEPLOYMENT,
    selector: { matchLabels: { app: FLEET_DEPLOYMENT }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['canary'] }] },
    templateLabels: labels,
    containers: [FLEET_CONTAINER, 'istio-proxy'],
    replicas: options.pods,
  };
  const replicaSet = replicaSetName(FLEET_DEPLOYMENT).slice(FLEET_DEPLOYMENT.length + 1);
  const pods: FakePod[] = Array.from({ length: options.pods }, (_, i) => ({
    namespace: FLEET_NAMESPACE,
    name: `${FLEET_DEPLOYMENT}-${replicaSet}-${String(i).padStart(3, '0')}`,
    containers: [FLEET_CONTAINER, 'istio-proxy'],
    labels: { ...labels, 'pod-template-hash': replicaSet },
    defaultContainer: FLEET_CONTAINER,
    owner: { kind: 'Deployment', name: FLEET_DEPLOYMENT },
    sandbox: sandboxes[i % sandboxCount]!,
  }));
  const decoys: FakePod[] = [
    { namespace: FLEET_NAMESPACE, name: `${FLEET_DEPLOYMENT}-canary-0`, containers: [FLEET_CONTAINER], labels: { app: FLEET_DEPLOYMENT, tier: 'canary' } },
    { namespace: FLEET_NAMESPACE, name: 'ledger-0', containers: [FLEET_CONTAINER], labels: { app: 'ledger', tier: 'web' } },
  ];
  const cluster: FakeCluster = { name: FLEET_CONTEXT, namespace: 'default', pods: [...pods, ...decoys], workloads: [workload] };
  let api: FakeKubeApiserver;
  try {
    api = await startFakeKubeApiserver({ clusters: [cluster], currentContext: FLEET_CONTEXT, version: kubectlClient() });
  } catch (error) {
    await stopSandboxes();
    throw error;
  }
  return {
    api,
    cluster,
    pods,
    sandboxes,
    deploymentUrl: `kubectl://${FLEET_CONTEXT}/${FLEET_NAMESPACE}/deployment/${FLEET_DEPLOYMENT}`,
    podUrl: (i) => `kubectl://${FLEET_CONTEXT}/${FLEET_NAMESPACE}/${pods[i]!.name}/${FLEET_CONTAINER}`,
    async stop() {
      await api.stop();
      await stopSandboxes();
    },
  };
}
