// Where a session's commands run: this host, a host over ssh, or a pod over kubectl exec.
// Every name that ends up in the transport's argv (host, user, context, namespace, pod,
// container) is checked here, so none can become an option (`-oProxyCommand=…` as a host)
// or shell syntax (reliability.md, "Injection"). docs/remote.md describes the URLs.
import { UserError } from '../errors.js';

export type Target =
  | { kind: 'local'; url: 'local' }
  | { kind: 'ssh'; url: string; host: string; user?: string; port?: number }
  | { kind: 'kubectl'; url: string; namespace: string; pod: string; context?: string; container?: string };

export type RemoteTarget = Exclude<Target, { kind: 'local' }>;

export const LOCAL_TARGET: Target = { kind: 'local', url: 'local' };

const FORMS = 'local, ssh://[user@]host[:port] or kubectl://[context/]namespace/pod[/container]';

/** Host names, IPv4 addresses, user names: no leading `-`, nothing a shell or ssh reads as syntax. */
const SSH_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** IPv6 literals inside [brackets]. */
const IPV6 = /^[0-9A-Fa-f:.]+$/;
/** Kubernetes object names (RFC 1123 labels and subdomains). */
export const KUBE_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
/** Kubeconfig context names are free text, but the common shapes are `cluster-name`,
 *  `user@cluster` and EKS ARNs `arn:aws:eks:region:acct:cluster/name` (the `/` is written %2F). */
export const CONTEXT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:@-]*$/;

function refuse(url: string, problem: string, hint: string): UserError {
  return new UserError(`target '${printable(url)}': ${problem}`, { hint });
}

/** Control characters shown as escapes, so the message itself cannot move the cursor. */
export function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Parses a target URL; a UserError names what is wrong and how to write it. */
export function parseTarget(text: string): Target {
  const url = text;
  if (url === '' || url === 'local') return LOCAL_TARGET;
  if (/[\u0000-\u001f\u007f\s]/.test(url)) throw refuse(text, 'contains whitespace or control characters', `write it as ${FORMS}`);
  if (url.startsWith('ssh://')) return parseSsh(url);
  if (url.startsWith('kubectl://')) return parseKubectl(url);
  throw refuse(url, 'unknown kind of target', `write it as ${FORMS}`);
}

function parseSsh(url: string): Target {
  const rest = url.slice('ssh://'.length).replace(/\/$/, '');
  const hint = 'write it as ssh://[user@]host[:port], e.g. ssh://deploy@app-1.internal:2222 (put other ssh options in an ssh config file: docs/remote.md)';
  const at = rest.lastIndexOf('@');
  const user = at >= 0 ? rest.slice(0, at) : undefined;
  let hostPort = at >= 0 ? rest.slice(at + 1) : rest;
  if (user !== undefined && !SSH_NAME.test(user)) throw refuse(url, `'${printable(user)}' is not a user name (letters, digits, _ . -, not starting with -)`, hint);
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    host = close > 0 ? hostPort.slice(1, close) : '';
    if (close < 0 || !IPV6.test(host)) throw refuse(url, 'an IPv6 address must be written [addr] with hex digits and colons only', hint);
    hostPort = hostPort.slice(close + 1);
    if (hostPort !== '' && !hostPort.startsWith(':')) throw refuse(url, `unexpected '${printable(hostPort)}' after the address`, hint);
    portText = hostPort === '' ? undefined : hostPort.slice(1);
  } else {
    const colon = hostPort.indexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    portText = colon >= 0 ? hostPort.slice(colon + 1) : undefined;
    if (host === '') throw refuse(url, 'no host', hint);
    if (!SSH_NAME.test(host)) throw refuse(url, `'${printable(host)}' is not a host name (letters, digits, _ . -, not starting with -)`, hint);
  }
  let port: number | undefined;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) throw refuse(url, `'${printable(portText)}' is not a port (1–65535)`, hint);
  }
  return { kind: 'ssh', url, host, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) };
}

function parseKubectl(url: string): Target {
  const hint =
    'write it as kubectl://[context/]namespace/pod[/container], e.g. kubectl://prod/payments/api-7d9f-x2k4/app; a container in the current context: kubectl:///payments/api-7d9f-x2k4/app; a context with / is written %2F';
  const parts = url.slice('kubectl://'.length).split('/');
  // Three parts are ambiguous (context/namespace/pod or namespace/pod/container): they
  // mean context/namespace/pod, and a container in the current context is written with an
  // empty context, kubectl:///namespace/pod/container.
  const currentContext = parts.length === 4 && parts[0] === '';
  const named = currentContext ? parts.slice(1) : parts;
  if (named.length < 2 || named.length > 4 || named.some((p) => p === '')) throw refuse(url, 'expected 2 to 4 parts separated by /', hint);
  let context: string | undefined;
  let namespace: string;
  let pod: string;
  let container: string | undefined;
  if (currentContext) [namespace, pod, container] = named as [string, string, string];
  else if (named.length === 2) [namespace, pod] = named as [string, string];
  else if (named.length === 3) [context, namespace, pod] = named as [string, string, string];
  else [context, namespace, pod, container] = named as [string, string, string, string];
  if (context !== undefined) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(context);
    } catch {
      throw refuse(url, `context '${printable(context)}' has a broken %-escape`, hint);
    }
    // After decoding, `/` is the only addition allowed (EKS context names are ARNs).
    if (!decoded.split('/').every((piece) => CONTEXT_NAME.test(piece))) {
      throw refuse(url, `'${printable(decoded)}' is not a context name (letters, digits, _ . : @ - and %2F, not starting with -)`, hint);
    }
    context = decoded;
  }
  for (const [what, name] of [
    ['namespace', namespace],
    ['pod', pod],
    ['container', container],
  ] as const) {
    if (name !== undefined && !KUBE_NAME.test(name)) {
      throw refuse(url, `'${printable(name)}' is not a Kubernetes ${what} name (lower-case letters, digits, . and -, starting and ending alphanumeric)`, hint);
    }
  }
  return {
    kind: 'kubectl',
    url,
    namespace,
    pod,
    ...(context !== undefined ? { context } : {}),
    ...(container !== undefined ? { container } : {}),
  };
}
