// Which runbook answers an alert: every runbook whose `match:` holds for it, the most
// specific first (a runbook naming the alert and three labels says more about it than one
// naming the alert only). Two equally specific runbooks are a choice left to the engineer.
import { labelMatches, parseLabelMatcher } from '../runbook/label-matcher.js';
import type { MatchSpec, Runbook } from '../runbook/types.js';
import type { Alert } from './payload.js';
import { alertName } from './describe-alert.js';

export interface RunbookMatch<R extends Pick<Runbook, 'id' | 'match'>> {
  runbook: R;
  /** Conditions that held: the alert name (when the match names one) and each matcher. */
  specificity: number;
}

/** Whether `match` holds for `alert`: its name is one of `alertname` and every matcher holds. */
export function matchesAlert(match: MatchSpec, alert: Alert): boolean {
  const names = match.alertname === undefined ? undefined : [match.alertname].flat();
  if (names !== undefined && !names.includes(alert.name)) return false;
  return (match.matchers ?? []).every((text) => {
    const parsed = parseLabelMatcher(text);
    // The validator refused a bad matcher; one that slipped through matches nothing.
    return parsed.ok && labelMatches(parsed.matcher, alert.labels);
  });
}

/** The runbooks that answer `alert`, most specific first (ties in the order given). */
export function runbooksFor<R extends Pick<Runbook, 'id' | 'match'>>(alert: Alert, runbooks: readonly R[]): RunbookMatch<R>[] {
  return runbooks
    .flatMap((runbook) => {
      const { match } = runbook;
      if (match === undefined || !matchesAlert(match, alert)) return [];
      return [{ runbook, specificity: (match.alertname === undefined ? 0 : 1) + (match.matchers?.length ?? 0) }];
    })
    .sort((a, b) => b.specificity - a.specificity);
}

export type BestMatch<R extends Pick<Runbook, 'id' | 'match'>> =
  | { ok: true; runbook: R }
  | { ok: false; reason: string; candidates: R[] };

/** The one runbook to run for `alert`, or why there is none (no match, or a tie). */
export function bestRunbook<R extends Pick<Runbook, 'id' | 'match'>>(alert: Alert, runbooks: readonly R[]): BestMatch<R> {
  const [first, second] = runbooksFor(alert, runbooks);
  if (first === undefined) return { ok: false, reason: `no runbook's match: answers alert ${alertName(alert)}`, candidates: [] };
  if (second !== undefined && second.specificity === first.specificity) {
    const tied = runbooksFor(alert, runbooks).filter((m) => m.specificity === first.specificity).map((m) => m.runbook);
    return { ok: false, reason: `runbooks ${tied.map((r) => r.id).join(', ')} match alert ${alertName(alert)} equally`, candidates: tied };
  }
  return { ok: true, runbook: first.runbook };
}
