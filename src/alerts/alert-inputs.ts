// An alert's labels fill a runbook's inputs through its `match.inputs` templates
// (`pid: "name:{{ labels.job }}"`). A label value is text: it becomes the input's value and
// is checked by the input's type like `--var` (a target URL, a URL, a process name), and
// reaches commands and queries only as the whole argv element or escaped PromQL string a
// template puts it in. A template naming a label the alert lacks is an error naming the
// labels it has, except for an optional input, which stays unset (an alert aggregated
// without `instance` still runs go-memory; its history steps say what is missing).
import { scopeFrom } from '../expr/scope.js';
import type { Runbook } from '../runbook/types.js';
import { renderText } from '../template/index.js';
import type { Alert } from './payload.js';

export type AlertInputs = { ok: true; vars: Record<string, string> } | { ok: false; error: string };

export function alertInputs(runbook: Pick<Runbook, 'id' | 'match'> & Partial<Pick<Runbook, 'inputs'>>, alert: Alert): AlertInputs {
  const scope = scopeFrom([{ labels: alert.labels, annotations: alert.annotations }]);
  const vars: Record<string, string> = {};
  for (const [name, template] of Object.entries(runbook.match?.inputs ?? {})) {
    const rendered = renderText(template, scope);
    if (!rendered.ok) {
      if (runbook.inputs?.[name]?.optional === true) continue;
      return { ok: false, error: `runbook ${runbook.id} fills input ${name} from alert ${alert.name} with "${template}": ${rendered.error}; the alert's labels are ${Object.keys(alert.labels).join(', ')}` };
    }
    vars[name] = rendered.text;
  }
  return { ok: true, vars };
}
