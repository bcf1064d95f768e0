// The fake cluster the kubectl transport tests share: two contexts whose clusters both have
// pod payments/api-7d9f, with different containers, so a test can tell which context kubectl
// really used (the server records it, and `sidecar` exists only in prod).
import { startFakeKubeApiserver, type FakeKubeApiserver } from './fake-kube-apiserver.js';
import { kubectlClient } from './kubectl-client.js';

export const NAMESPACE = 'payments';
export const POD = 'api-7d9f';
/** The kubeconfig's current context. */
export const CURRENT_CONTEXT = 'staging';

export function startTestCluster(): Promise<FakeKubeApiserver> {
  return startFakeKubeApiserver({
    clusters: [
      { name: 'prod', namespace: 'default', pods: [{ namespace: NAMESPACE, name: POD, containers: ['app', 'sidecar'] }] },
      { name: CURRENT_CONTEXT, namespace: 'default', pods: [{ namespace: NAMESPACE, name: POD, containers: ['app'] }] },
    ],
    currentContext: CURRENT_CONTEXT,
    // The gcloud kubectl dispatcher runs the client matching the server's version: answer
    // with the installed client's own, so the client tested is the one checked for.
    version: kubectlClient(),
  });
}
