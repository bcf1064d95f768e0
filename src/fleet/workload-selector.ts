// A workload's `spec.selector` (a Deployment's, StatefulSet's or DaemonSet's LabelSelector)
// as the `-l` string kubectl takes: matchLabels AND matchExpressions, as the API ANDs them.
// Pure and total: any JSON gives a selector or the reason there is none.

export type WorkloadSelector = { ok: true; selector: string } | { ok: false; reason: string };

/** Label keys ([prefix/]name) and values as the API validates them. */
const LABEL_KEY = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?)?$/;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function workloadSelector(workload: unknown, what: string): WorkloadSelector {
  const selector = record(record(record(workload)?.spec)?.selector);
  if (selector === undefined) return { ok: false, reason: `${what} has no spec.selector` };
  const terms: string[] = [];
  for (const [key, value] of Object.entries(record(selector.matchLabels) ?? {})) {
    if (!LABEL_KEY.test(key) || typeof value !== 'string' || !LABEL_VALUE.test(value)) return { ok: false, reason: `${what}: matchLabels ${JSON.stringify(key)} is not a label` };
    terms.push(`${key}=${value}`);
  }
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const raw of expressions) {
    const expression = record(raw);
    const key = expression?.key;
    const values = Array.isArray(expression?.values) ? expression.values : [];
    if (typeof key !== 'string' || !LABEL_KEY.test(key)) return { ok: false, reason: `${what}: a matchExpressions entry has no valid key` };
    if (!values.every((v) => typeof v === 'string' && LABEL_VALUE.test(v))) return { ok: false, reason: `${what}: matchExpressions ${key} has a value that is not a label value` };
    const list = `(${(values as string[]).join(',')})`;
    switch (expression?.operator) {
      case 'In':
        if (values.length === 0) return { ok: false, reason: `${what}: matchExpressions ${key} In has no values` };
        terms.push(`${key} in ${list}`);
        break;
      case 'NotIn':
        if (values.length === 0) return { ok: false, reason: `${what}: matchExpressions ${key} NotIn has no values` };
        terms.push(`${key} notin ${list}`);
        break;
      case 'Exists':
        terms.push(key);
        break;
      case 'DoesNotExist':
        terms.push(`!${key}`);
        break;
      default:
        return { ok: false, reason: `${what}: matchExpressions ${key} has operator ${JSON.stringify(expression?.operator)} (In, NotIn, Exists, DoesNotExist)` };
    }
  }
  // An empty selector matches every pod in the namespace: never what a workload means.
  if (terms.length === 0) return { ok: false, reason: `${what} has an empty selector (it would match every pod in the namespace)` };
  return { ok: true, selector: terms.join(',') };
}
