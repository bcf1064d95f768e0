// `runbook run --alert FILE|-|URL`: the firing alert a payload (or an Alertmanager) holds,
// the runbook whose `match:` answers it (or the one named, checked to answer it), and the
// inputs its labels fill; `--var` wins over a label.
import { firingAlerts, shownAlertmanager } from '../alerts/alertmanager.js';
import { alertInputs } from '../alerts/alert-inputs.js';
import { alertHandle, alertName, keyLabels } from '../alerts/describe-alert.js';
import { bestRunbook, matchesAlert } from '../alerts/match-runbooks.js';
import { parseAlertPayload, type Alert, type AlertPayload } from '../alerts/payload.js';
import { UserError } from '../errors.js';
import { createRedactor } from '../redact/create-redactor.js';
import { discoverRunbooks } from '../runbook/discover.js';
import type { Runbook } from '../runbook/types.js';

export interface AlertSource {
  /** What messages call it: the file, "stdin", or the Alertmanager URL. */
  label: string;
  /** The payload's text; absent for an Alertmanager asked over HTTP. */
  text?: string;
}

export interface AlertRun {
  alert: Alert;
  runbook: Runbook;
  /** Inputs from the alert's labels, with `--var` over them. */
  vars: Record<string, string>;
}

export function isAlertmanagerUrl(source: string): boolean {
  return /^https?:\/\//.test(source);
}

export async function alertRun(source: AlertSource, options: { pick?: string; runbook?: Runbook; vars: Record<string, string> }): Promise<AlertRun> {
  const payload = await readPayload(source);
  const alert = pickAlert(payload, source.text === undefined ? shownAlertmanager(source.label) : source.label, options.pick, options.runbook);
  const runbook = options.runbook ?? (await matchingRunbook(alert));
  if (options.runbook !== undefined && (runbook.match === undefined || !matchesAlert(runbook.match, alert))) {
    throw new UserError(`runbook ${runbook.id} does not answer alert ${alertName(alert)} (${keyLabels(alert)}): ${runbook.match === undefined ? 'it has no match: block' : 'its match: does not hold for it'}`, {
      hint: 'leave the runbook out to run the one whose match: answers it, or run it without --alert',
    });
  }
  const filled = alertInputs(runbook, alert);
  if (!filled.ok) throw new UserError(filled.error, { hint: `give the input with --var, or fix match.inputs in ${runbook.file}` });
  return { alert, runbook, vars: { ...filled.vars, ...options.vars } };
}

async function readPayload(source: AlertSource): Promise<AlertPayload> {
  if (source.text === undefined) {
    const got = await firingAlerts(source.label);
    if (!got.ok) throw new UserError(`cannot read the alerts of ${shownAlertmanager(source.label)}: ${got.reason}`, { hint: 'check the Alertmanager URL (its API answers at URL/api/v2/alerts)' });
    return got.payload;
  }
  const parsed = parseAlertPayload(source.text);
  if (!parsed.ok) throw new UserError(`${source.label}: ${parsed.error}`, { hint: 'pass the JSON Alertmanager POSTs to a webhook receiver, or what GET /api/v2/alerts answers' });
  // Redacted as firingAlerts redacts an Alertmanager's answer: a label (name or value) is
  // printed, put in errors and filled into inputs, so no control sequence may survive.
  return createRedactor().redactValue(parsed.payload);
}

/** The one firing alert, the one `pick` names (its fingerprint or its place, from 1), the
 *  one alert the named runbook answers, or a list of those there are. */
export function pickAlert(payload: AlertPayload, label: string, pick: string | undefined, runbook?: Runbook): Alert {
  const { firing } = payload;
  const listed = () => firing.map((alert, index) => `  ${alertHandle(alert, index)}  ${alertName(alert)} ${keyLabels(alert)}`).join('\n');
  if (firing.length === 0) {
    const why = [payload.notFiring > 0 ? `${payload.notFiring} not firing (resolved, silenced or inhibited)` : '', ...payload.warnings].filter(Boolean).join('; ');
    throw new UserError(`${label} holds no firing alert${why !== '' ? `: ${why}` : ''}`, { hint: 'a resolved alert needs no runbook; run one by name to look anyway' });
  }
  if (pick === undefined) {
    if (firing.length === 1) return firing[0]!;
    const match = runbook?.match;
    const answered = match === undefined ? [] : firing.filter((alert) => matchesAlert(match, alert));
    if (answered.length === 1) return answered[0]!;
    throw new UserError(`${label} holds ${firing.length} firing alerts; choose one with --alert-index:\n${listed()}`, { hint: '--alert-index takes a fingerprint or a place in the list, from 1' });
  }
  const byPlace = /^\d+$/.test(pick) ? firing[Number(pick) - 1] : undefined;
  const chosen = firing.find((alert) => alert.fingerprint === pick) ?? byPlace;
  if (chosen === undefined) throw new UserError(`--alert-index ${pick}: no such firing alert in ${label}; there are:\n${listed()}`);
  return chosen;
}

async function matchingRunbook(alert: Alert): Promise<Runbook> {
  const runbooks = (await discoverRunbooks()).flatMap((found) => (found.runbook !== undefined ? [found.runbook] : []));
  const best = bestRunbook(alert, runbooks);
  if (best.ok) return best.runbook;
  const answering = runbooks.filter((runbook) => runbook.match !== undefined).map((runbook) => runbook.id);
  throw new UserError(`${best.reason} (${keyLabels(alert)})`, {
    hint: best.candidates.length > 0
      ? `name the one to run: runbook run ${best.candidates[0]!.id} --alert …`
      : `runbooks with a match: block: ${answering.length > 0 ? answering.join(', ') : 'none'}; add one (docs/alerts.md), or name a runbook and give its inputs with --var`,
  });
}
