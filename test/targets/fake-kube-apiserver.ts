// A minimal Kubernetes API server for testing the kubectl transport with the REAL kubectl
// client: plain http on 127.0.0.1, exactly the requests `kubectl exec -i` makes (observed
// with kubectl 1.32 `-v=8`), each one recorded:
//   GET /version                     (the gcloud kubectl dispatcher picks its client by it)
//   GET /api, /apis, /api/v1         (discovery, to map "pods")
//   GET /api/v1/namespaces/NS/pods/POD   (after a 404 there: GET /api/v1/namespaces/NS)
//   GET /api/v1/namespaces/NS/pods/POD/exec?command=…&command=…&container=C&stderr=true&stdin=true&stdout=true
//       Upgrade: websocket, Sec-WebSocket-Protocol: v5.channel.k8s.io
// Every cluster of the kubeconfig it writes is this one server under its own path
// (http://127.0.0.1:PORT/clusters/NAME), so a request shows which context kubectl used.
// The exec itself runs on this machine (fake-kubelet-exec.ts).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { serveExec } from './fake-kubelet-exec.js';

const EXEC_SUBPROTOCOL = 'v5.channel.k8s.io';

export interface FakeCluster {
  /** The cluster's name, which is also its context's name in the kubeconfig. */
  name: string;
  /** The context's namespace. */
  namespace: string;
  /** `namespace/pod` → the pod's container names. */
  pods: Record<string, string[]>;
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

function podJson(namespace: string, name: string, containers: string[]): object {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, namespace },
    spec: { containers: containers.map((container) => ({ name: container, image: 'this-machine' })) },
    status: { phase: 'Running' },
  };
}

const API_RESOURCES = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] },
    { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
  ],
};

const NAMESPACE_PATH = /^\/api\/v1\/namespaces\/([^/]+)$/;
const POD_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)(\/exec)?$/;

/** A pod, or the Status the real API server answers instead: pod not found (404), or a
 *  container the pod does not have (400, registry/core/pod: "container C is not valid for
 *  pod P"). */
function findPod(route: Route, namespace: string, pod: string, container: string | null): { containers: string[] } | { code: number; body: object } {
  const containers = route.cluster.pods[`${namespace}/${pod}`];
  if (containers === undefined) return { code: 404, body: { ...status(404, 'NotFound', `pods "${pod}" not found`), details: { name: pod, kind: 'pods' } } };
  if (container !== null && !containers.includes(container)) return { code: 400, body: status(400, 'BadRequest', `container ${container} is not valid for pod ${pod}`) };
  return { containers };
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
    if (found.path === '/apis') return send(response, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (found.path === '/api/v1') return send(response, 200, API_RESOURCES);
    // kubectl asks for the namespace after a pod's 404, to say which of the two is missing.
    const namespace = NAMESPACE_PATH.exec(found.path)?.[1];
    if (namespace !== undefined) {
      const known = Object.keys(found.cluster.pods).some((key) => key.startsWith(`${namespace}/`));
      return known
        ? send(response, 200, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: namespace }, status: { phase: 'Active' } })
        : send(response, 404, { ...status(404, 'NotFound', `namespaces "${namespace}" not found`), details: { name: namespace, kind: 'namespaces' } });
    }
    const pod = POD_PATH.exec(found.path);
    if (pod && pod[3] === undefined && request.method === 'GET') {
      const answer = findPod(found, pod[1]!, pod[2]!, null);
      return 'code' in answer ? send(response, answer.code, answer.body) : send(response, 200, podJson(pod[1]!, pod[2]!, answer.containers));
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
      const child = serveExec(websocket, command, { stdin: found.query.get('stdin') === 'true' });
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
