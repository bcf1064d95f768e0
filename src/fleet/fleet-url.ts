// `--fleet URL`: a set of pods named by their workload or a label selector, resolved through
// kubectl (resolve-fleet.ts). Every name checked like src/targets/target.ts checks a pod
// URL's, so none can become a kubectl option or shell syntax (docs/remote.md "Fleets").
import { UserError } from '../errors.js';
import { CONTEXT_NAME, KUBE_NAME, printable } from '../targets/target.js';

export type WorkloadKind = 'deployment' | 'statefulset' | 'daemonset';
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['deployment', 'statefulset', 'daemonset'];

export type FleetSource =
  | { kind: 'workload'; url: string; context?: string; namespace: string; workload: WorkloadKind; name: string; container?: string }
  | { kind: 'selector'; url: string; context?: string; namespace: string; selector: string; container?: string };

const HINT =
  'write it as kubectl://[context/]namespace/deployment|statefulset|daemonset/NAME or kubectl://[context/]namespace?selector=LABEL_SELECTOR, optionally with ?container=C (&container=C after a selector); a context with / is written %2F';

/** A label selector as kubectl -l takes it: keys [prefix/]name, values, and the operators
 *  = == != , in notin ( ) ! and spaces; nothing else, and not starting with `-`. */
const SELECTOR = /^[A-Za-z0-9_.!(][A-Za-z0-9_.\-/=!,() ]*$/;

function refuse(url: string, problem: string): UserError {
  return new UserError(`--fleet '${printable(url)}': ${problem}`, { hint: HINT });
}

export function parseFleetUrl(url: string): FleetSource {
  if (!url.startsWith('kubectl://')) throw refuse(url, 'a fleet is a kubectl:// URL (ssh hosts go in --targets FILE or repeated --target)');
  if (/[\u0000-\u001f\u007f]/.test(url)) throw refuse(url, 'contains control characters');
  const rest = url.slice('kubectl://'.length);
  const question = rest.indexOf('?');
  const path = question >= 0 ? rest.slice(0, question) : rest;
  const params = parseQuery(url, question >= 0 ? rest.slice(question + 1) : '');
  const parts = path.split('/');
  // kubectl://ns?selector=… or kubectl://ctx/ns?selector=…; kubectl://[ctx/]ns/kind/name.
  let context: string | undefined;
  let namespace: string;
  let workload: { kind: WorkloadKind; name: string } | undefined;
  if (params.selector !== undefined) {
    if (parts.length > 2 || parts.some((p) => p === '')) throw refuse(url, 'a selector URL names [context/]namespace and nothing more');
    [namespace, context] = parts.length === 2 ? [parts[1]!, parts[0]] : [parts[0]!, undefined];
  } else {
    if (parts.length < 3 || parts.length > 4 || parts.some((p) => p === '')) throw refuse(url, 'expected [context/]namespace/KIND/NAME or a ?selector=');
    const [kind, name] = parts.slice(-2) as [string, string];
    if (!(WORKLOAD_KINDS as readonly string[]).includes(kind)) throw refuse(url, `'${printable(kind)}' is not a workload kind (${WORKLOAD_KINDS.join(', ')})`);
    workload = { kind: kind as WorkloadKind, name };
    namespace = parts[parts.length - 3]!;
    context = parts.length === 4 ? parts[0] : undefined;
  }
  if (context !== undefined) context = checkContext(url, context);
  const names: Array<[string, string | undefined]> = [['namespace', namespace], [`${workload?.kind ?? 'workload'}`, workload?.name], ['container', params.container]];
  for (const [what, name] of names) {
    if (name !== undefined && !KUBE_NAME.test(name)) {
      throw refuse(url, `'${printable(name)}' is not a Kubernetes ${what} name (lower-case letters, digits, . and -, starting and ending alphanumeric)`);
    }
  }
  const common = { url, namespace, ...(context !== undefined ? { context } : {}), ...(params.container !== undefined ? { container: params.container } : {}) };
  if (workload !== undefined) return { kind: 'workload', ...common, workload: workload.kind, name: workload.name };
  const selector = params.selector!;
  if (!SELECTOR.test(selector)) throw refuse(url, `'${printable(selector)}' is not a label selector (e.g. app=payments,tier!=canary)`);
  return { kind: 'selector', ...common, selector };
}

function parseQuery(url: string, query: string): { selector?: string; container?: string } {
  const out: { selector?: string; container?: string } = {};
  if (query === '') return out;
  // Split on & only: a selector's own `=`, `,` and `!` stay whole (app=payments,tier!=canary).
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq >= 0 ? pair.slice(0, eq) : pair;
    let value: string;
    try {
      value = decodeURIComponent(eq >= 0 ? pair.slice(eq + 1) : '');
    } catch {
      throw refuse(url, `'${printable(pair)}' has a broken %-escape`);
    }
    if (key !== 'selector' && key !== 'container') throw refuse(url, `unknown parameter '${printable(key)}' (selector, container)`);
    if (value === '') throw refuse(url, `${key}= is empty`);
    if (out[key] !== undefined) throw refuse(url, `${key}= is given twice`);
    out[key] = value;
  }
  return out;
}

function checkContext(url: string, context: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(context);
  } catch {
    throw refuse(url, `context '${printable(context)}' has a broken %-escape`);
  }
  if (!decoded.split('/').every((piece) => CONTEXT_NAME.test(piece))) {
    throw refuse(url, `'${printable(decoded)}' is not a context name (letters, digits, _ . : @ - and %2F, not starting with -)`);
  }
  return decoded;
}
