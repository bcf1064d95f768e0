// An alert's labels fill a runbook's inputs through its `match.inputs` templates
// (`pid: "name:{{ labels.job }}"`). A label value is text: it becomes the input's value and
// is checked by the input's type like `--var` (a target URL, a URL, a process name), and
// reaches commands and queries only as the whole argv element or escaped PromQL string a
// template puts it in. Into a `url` or `target` input a value goes percent-encoded where it
// would change the URL's structure, so a label chooses at most a host:port, never a path,
// a kubectl context or credentials. A template naming a label the alert lacks is an error
// naming the labels it has, except for an optional input, which stays unset (an alert
// aggregated without `instance` still runs go-memory; its history steps say what is missing).
import { scopeFrom } from '../expr/scope.js';
import type { InputType, Runbook } from '../runbook/types.js';
import { renderText } from '../template/index.js';
import type { Alert } from './payload.js';
import { alertName } from './describe-alert.js';

export type AlertInputs = { ok: true; vars: Record<string, string> } | { ok: false; error: string };

/** Inputs whose value is parsed as a URL or target: a label must not add structure to it. */
const URL_SHAPED: readonly InputType[] = ['url', 'target'];

export function alertInputs(runbook: Pick<Runbook, 'id' | 'match'> & Partial<Pick<Runbook, 'inputs'>>, alert: Alert): AlertInputs {
  const scope = scopeFrom([{ labels: alert.labels, annotations: alert.annotations }]);
  const encoded = scopeFrom([{ labels: mapValues(alert.labels, urlComponent), annotations: mapValues(alert.annotations, urlComponent) }]);
  const vars: Record<string, string> = {};
  for (const [name, template] of Object.entries(runbook.match?.inputs ?? {})) {
    const type = runbook.inputs?.[name]?.type;
    const rendered = renderText(template, type !== undefined && URL_SHAPED.includes(type) ? encoded : scope);
    if (!rendered.ok) {
      if (runbook.inputs?.[name]?.optional === true) continue;
      return { ok: false, error: `runbook ${runbook.id} fills input ${name} from alert ${alertName(alert)} with "${template}": ${rendered.error}; the alert's labels are ${Object.keys(alert.labels).join(', ')}` };
    }
    vars[name] = rendered.text;
  }
  return { ok: true, vars };
}

/** A label value as one piece of a URL: `/ ? # @ \ %`, whitespace and control characters
 *  percent-encoded (UTF-8), `:` kept so an instance label still gives host:port. */
export function urlComponent(value: string): string {
  return value.replace(/[/?#@\\%\s\u0000-\u001f\u007f-\u009f]/gu, (char) => encodeURIComponent(char));
}

function mapValues(record: Record<string, string>, f: (value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}
