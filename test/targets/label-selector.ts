// Kubernetes label selectors for the fake API server, with the real server's semantics
// (k8s.io/apimachinery/pkg/labels): the `?labelSelector=` string form (`a=b`, `a==b`,
// `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma = AND) and a workload's
// `spec.selector` (matchLabels + matchExpressions In/NotIn/Exists/DoesNotExist).
// `!=` and `notin` match an object WITHOUT the key too, as in Kubernetes.

export interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/** A workload's spec.selector as the API serves it. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: Requirement['operator']; values?: string[] }[];
}

/** Splits on commas outside parentheses: `a in (x,y),b` is two requirements. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms.map((t) => t.trim());
}

const SET_TERM = /^([A-Za-z0-9_./-]+)\s+(in|notin)\s+\(([^()]*)\)$/;
const EQUALITY_TERM = /^([A-Za-z0-9_./-]+)\s*(==|!=|=)\s*([A-Za-z0-9_.-]*)$/;
const EXISTS_TERM = /^(!?)\s*([A-Za-z0-9_./-]+)$/;

/** The requirements of a `labelSelector` string, or the parse error the real server
 *  words as `unable to parse requirement: …` (400 BadRequest). */
export function parseSelector(text: string): Requirement[] | { error: string } {
  if (text.trim() === '') return [];
  const requirements: Requirement[] = [];
  for (const term of splitTerms(text)) {
    const set = SET_TERM.exec(term);
    const equality = EQUALITY_TERM.exec(term);
    const exists = EXISTS_TERM.exec(term);
    if (set) requirements.push({ key: set[1]!, operator: set[2] === 'in' ? 'In' : 'NotIn', values: set[3]!.split(',').map((v) => v.trim()) });
    else if (equality) requirements.push({ key: equality[1]!, operator: equality[2] === '!=' ? 'NotIn' : 'In', values: [equality[3]!] });
    else if (exists) requirements.push({ key: exists[2]!, operator: exists[1] ? 'DoesNotExist' : 'Exists', values: [] });
    else return { error: `unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt` };
  }
  return requirements;
}

/** The requirements a workload's spec.selector stands for (matchLabels are `key In (value)`). */
export function selectorRequirements(selector: LabelSelector): Requirement[] {
  return [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]): Requirement => ({ key, operator: 'In', values: [value] })),
    ...(selector.matchExpressions ?? []).map((e): Requirement => ({ key: e.key, operator: e.operator, values: e.values ?? [] })),
  ];
}

export function matches(requirements: Requirement[], labels: Record<string, string>): boolean {
  return requirements.every(({ key, operator, values }) => {
    const has = Object.hasOwn(labels, key);
    if (operator === 'Exists') return has;
    if (operator === 'DoesNotExist') return !has;
    if (operator === 'In') return has && values.includes(labels[key]!);
    return !has || !values.includes(labels[key]!);
  });
}
