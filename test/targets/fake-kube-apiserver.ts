// A minimal Kubernetes API server for testing the kubectl transport with the REAL kubectl
// client: plain http on 127.0.0.1, exactly the requests `kubectl exec -i` makes (observed
// with kubectl 1.32 `-v=8`), each one recorded:
//   GET /version                     (the gcloud kubectl dispatcher picks its client by it)
//   GET /api, /apis, /api/v1, /apis/apps/v1   (discovery, to map "pods", "deployments", …)
//   GET /api/v1/namespaces/NS/pods/POD   (after a 404 there: GET /api/v1/namespaces/NS)
//   GET /api/v1/namespaces/NS/pods?labelSelector=…   (`kubectl get pods -l …`)
//   GET /apis/apps/v1/namespaces/NS/{deployments,statefulsets,daemonsets}[/NAME]
//   GET /api/v1/namespaces/NS/pods/POD/exec?command=…&command=…&container=C&stderr=true&stdin=true&stdout=true
//       Upgrade: websocket, Sec-WebSocket-Protocol: v5.channel.k8s.io
// Every cluster of the kubeconfig it writes is this one server under its own path
// (http://127.0.0.1:PORT/clusters/NAME), so a request shows which context kubectl used.
// The exec itself runs on this machine (fake-kubelet-exec.ts), inside the pod's sandbox
// when it has one (pod-sandbox.ts: its own pid, mount and network namespaces).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { listJson, podJson, WORKLOAD_RESOURCES, workloadJson, type FakePod, type FakeWorkload } from './fake-kube-objects.js';
import { serveExec } from './fake-kubelet-exec.js';
import { matches, parseSelector } from './label-selector.js';

const EXEC_SUBPROTOCOL = 'v5.channel.k8s.io';

export interface FakeCluster {
  /** The cluster's name, which is also its context's name in the kubeconfig. */
  name: string;
  /** The context's namespace. */
  namespace: string;
  /** Read on every request: a test may add or change pods while the server runs. */
  pods: FakePod[];
  workloads?: FakeWorkload[];
}

export interface RecordedRequest {
  cluster: string;
  method: string;
  /** Path inside the cluster, without the /clusters/NAME prefix. */
  path: string;
  query: string;
  /** Sec-WebSocket-Protocol of an upgrade request. */
  subprotocol?: string;
  /** e.g. kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07: the client that really ran. */
  userAgent: string;
}

export interface RecordedExec {
  cluster: string;
  namespace: string;
  pod: string;
  container: string | undefined;
  command: string[];
}

export interface FakeKubeApiserver {
  /** For kubectl: KUBECONFIG (one context per cluster) and a HOME of its own, so kubectl's
   *  discovery and http caches (~/.kube/cache) stay in a temp dir and every run asks this
   *  server again. */
  env: { KUBECONFIG: string; HOME: string };
  requests: RecordedRequest[];
  execs: RecordedExec[];
  stop(): Promise<void>;
}

interface Route {
  cluster: FakeCluster;
  path: string;
  query: URLSearchParams;
}

function status(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

const API_RESOURCES = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] },
    { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'], shortNames: ['ns'] },
  ],
};

const APPS_GROUP = { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } };

const APPS_RESOURCES = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'apps/v1',
  resources: [
    { name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['get', 'list'], shortNames: ['deploy'], categories: ['all'] },
    { name: 'statefulsets', singularName: 'statefulset', namespaced: true, kind: 'StatefulSet', verbs: ['get', 'list'], shortNames: ['sts'], categories: ['all'] },
    { name: 'daemonsets', singularName: 'daemonset', namespaced: true, kind: 'DaemonSet', verbs: ['get', 'list'], shortNames: ['ds'], categories: ['all'] },
  ],
};

const NAMESPACE_PATH = /^\/api\/v1\/namespaces\/([^/]+)$/;
const POD_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)(\/exec)?$/;
const POD_LIST_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/;
const WORKLOAD_PATH = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets|daemonsets)(?:\/([^/]+))?$/;

function notFound(resource: string, name: string, group?: string): { code: number; body: object } {
  const qualified = group ? `${resource}.${group}` : resource;
  return { code: 404, body: { ...status(404, 'NotFound', `${qualified} "${name}" not found`), details: { name, ...(group ? { group } : {}), kind: resource } } };
}

/** GET of a pod list (with `labelSelector`) or of a workload, or its list. */
function listOrWorkload(route: Route): { code: number; body: object } | undefined {
  const podList = POD_LIST_PATH.exec(route.path);
  const workloadPath = WORKLOAD_PATH.exec(route.path);
  if (!podList && !workloadPath) return undefined;
  const requirements = parseSelector(route.query.get('labelSelector') ?? '');
  if ('error' in requirements) return { code: 400, body: status(400, 'BadRequest', requirements.error) };
  const namespace = (podList ?? workloadPath)![1]!;
  if (podList) {
    const pods = route.cluster.pods.filter((p) => p.namespace === namespace && matches(requirements, p.labels ?? {}));
    return { code: 200, body: listJson('Pod', 'v1', pods.map(podJson)) };
  }
  const [, , resource, name] = workloadPath!;
  const kind = WORKLOAD_RESOURCES[resource!]!;
  const workloads = (route.cluster.workloads ?? []).filter((w) => w.kind === kind && w.namespace === namespace);
  if (name === undefined) return { code: 200, body: listJson(kind, 'apps/v1', workloads.map((w) => workloadJson(w, route.cluster.pods))) };
  const workload = workloads.find((w) => w.name === name);
  return workload ? { code: 200, body: workloadJson(workload, route.cluster.pods) } : notFound(resource!, name, 'apps');
}

/** A pod, or the Status the real API server answers instead: pod not found (404), or a
 *  container the pod does not have (400, registry/core/pod: "container C is not valid for
 *  pod P"). */
function findPod(route: Route, namespace: string, name: string, container: string | null): { pod: FakePod } | { code: number; body: object } {
  const pod = route.cluster.pods.find((p) => p.namespace === namespace && p.name === name);
  if (pod === undefined) return notFound('pods', name);
  if (container !== null && !pod.containers.includes(container)) return { code: 400, body: status(400, 'BadRequest', `container ${container} is not valid for pod ${name}`) };
  return { pod };
}

function send(response: ServerResponse, code: number, body: object): void {
  response.writeHead(code, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** An HTTP error as the answer to an upgrade request (the socket is not yet a WebSocket). */
function refuseUpgrade(socket: Duplex, code: number, body: object): void {
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${code} ${code === 404 ? 'Not Found' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

function kubeconfig(url: string, clusters: FakeCluster[], currentContext: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: clusters.map((c) => ({ name: c.name, cluster: { server: `${url}/clusters/${c.name}` } })),
    contexts: clusters.map((c) => ({ name: c.name, context: { cluster: c.name, user: 'tester', namespace: c.namespace } })),
    users: [{ name: 'tester', user: {} }],
    'current-context': currentContext,
  };
}

export async function startFakeKubeApiserver(options: {
  clusters: FakeCluster[];
  currentContext: string;
  /** What GET /version answers, e.g. { major: 1, minor: 32, patch: 4 }. */
  version: { major: number; minor: number; patch: number };
}): Promise<FakeKubeApiserver> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-fake-kube-'));
  const requests: RecordedRequest[] = [];
  const execs: RecordedExec[] = [];
  const children = new Set<ChildProcess>();
  const { major, minor, patch } = options.version;
  const versionInfo = { major: String(major), minor: String(minor), gitVersion: `v${major}.${minor}.${patch}`, platform: 'linux/amd64' };

  const route = (request: IncomingMessage): Route | undefined => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const match = /^\/clusters\/([^/]+)(\/.*)$/.exec(url.pathname);
    const cluster = match && options.clusters.find((c) => c.name === match[1]);
    if (!match || !cluster) return undefined;
    const subprotocol = request.headers['sec-websocket-protocol'];
    requests.push({ cluster: cluster.name, method: request.method ?? '', path: match[2]!, query: url.search, userAgent: request.headers['user-agent'] ?? '', ...(subprotocol !== undefined ? { subprotocol } : {}) });
    return { cluster, path: match[2]!, query: url.searchParams };
  };

  // kubectl puts the whole argv in the exec URL's query; Go's http.Server (the real API
  // server) takes a request line and headers of up to 1 MiB (DefaultMaxHeaderBytes), Node
  // only 16 KiB unless told.
  const server = createServer({ maxHeaderSize: 1 << 20 }, (request, response) => {
    const found = route(request);
    if (!found) return send(response, 404, status(404, 'NotFound', `no cluster at ${request.url}`));
    if (found.path === '/version') return send(response, 200, versionInfo);
    if (found.path === '/api') return send(response, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (found.path === '/apis') return send(response, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [APPS_GROUP] });
    if (found.path === '/apis/apps') return send(response, 200, { kind: 'APIGroup', apiVersion: 'v1', ...APPS_GROUP });
    if (found.path === '/api/v1') return send(response, 200, API_RESOURCES);
    if (found.path === '/apis/apps/v1') return send(response, 200, APPS_RESOURCES);
    const listed = request.method === 'GET' ? listOrWorkload(found) : undefined;
    if (listed) return send(response, listed.code, listed.body);
    // kubectl asks for the namespace after a pod's 404, to say which of the two is missing.
    const namespace = NAMESPACE_PATH.exec(found.path)?.[1];
    if (namespace !== undefined) {
      const known = [...found.cluster.pods, ...(found.cluster.workloads ?? [])].some((o) => o.namespace === namespace);
      if (known) return send(response, 200, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: namespace }, status: { phase: 'Active' } });
      const missing = notFound('namespaces', namespace);
      return send(response, missing.code, missing.body);
    }
    const pod = POD_PATH.exec(found.path);
    if (pod && pod[3] === undefined && request.method === 'GET') {
      const answer = findPod(found, pod[1]!, pod[2]!, null);
      return 'code' in answer ? send(response, answer.code, answer.body) : send(response, 200, podJson(answer.pod));
    }
    // An exec that is not a WebSocket upgrade (SPDY, kubectl < 1.30): this fake does not speak it.
    if (pod) return send(response, 400, status(400, 'BadRequest', `this fake API server execs only over WebSocket ${EXEC_SUBPROTOCOL}`));
    return send(response, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
  });

  const websockets = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(EXEC_SUBPROTOCOL) ? EXEC_SUBPROTOCOL : false) });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const found = route(request);
    const pod = found && POD_PATH.exec(found.path);
    if (!found || !pod || pod[3] === undefined) return refuseUpgrade(socket, 404, status(404, 'NotFound', `no exec at ${request.url}`));
    const [namespace, name] = [pod[1]!, pod[2]!];
    const container = found.query.get('container');
    const answer = findPod(found, namespace, name, container);
    if ('code' in answer) return refuseUpgrade(socket, answer.code, answer.body);
    const command = found.query.getAll('command');
    websockets.handleUpgrade(request, socket, head, (websocket) => {
      const child = serveExec(websocket, [...(answer.pod.sandbox?.enter ?? []), ...command], { stdin: found.query.get('stdin') === 'true' });
      children.add(child);
      child.on('close', () => children.delete(child));
      execs.push({ cluster: found.cluster.name, namespace, pod: name, container: container ?? undefined, command });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, JSON.stringify(kubeconfig(`http://127.0.0.1:${port}`, options.clusters, options.currentContext), null, 2));

  const stop = async (): Promise<void> => {
    // Tests check for leftovers before this; here only what a failed test left behind goes.
    for (const child of children) child.kill('SIGKILL');
    for (const client of websockets.clients) client.terminate();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };
  return { env: { KUBECONFIG: kubeconfigPath, HOME: dir }, requests, execs, stop };
}
