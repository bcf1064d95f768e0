// What `runbook alerts` and the TUI home show of an Alertmanager's firing alerts: each with
// the runbook that answers it and the command line that runs it from the alert.
import { quoteForShell } from '../exec/shell-quote.js';
import type { Runbook } from '../runbook/types.js';
import { alertInputs } from './alert-inputs.js';
import { alertHandle } from './describe-alert.js';
import { bestRunbook, runbooksFor } from './match-runbooks.js';
import type { Alert } from './payload.js';

export interface ListedAlert {
  alert: Alert;
  /** Its fingerprint, else its place from 1: what --alert-index takes. */
  handle: string;
  /** Every runbook whose match: holds, most specific first. */
  matching: string[];
  /** The one to run, when there is one (not on a tie). */
  runbook?: Runbook;
  /** Inputs its labels fill (`--var` may still override them). */
  vars?: Record<string, string>;
  /** `runbook run RUNBOOK --alert URL --alert-index HANDLE`. */
  command?: string;
  /** Why there is no runbook to run: none matches, a tie, a label an input needs is missing. */
  problem?: string;
}

export function listAlerts(alerts: readonly Alert[], runbooks: readonly Runbook[], alertmanager: string): ListedAlert[] {
  return alerts.map((alert, index) => {
    const handle = alertHandle(alert, index);
    const listed: ListedAlert = { alert, handle, matching: runbooksFor(alert, runbooks).map((m) => m.runbook.id) };
    const best = bestRunbook(alert, runbooks);
    if (!best.ok) return { ...listed, problem: best.reason };
    const filled = alertInputs(best.runbook, alert);
    if (!filled.ok) return { ...listed, runbook: best.runbook, problem: filled.error };
    return { ...listed, runbook: best.runbook, vars: filled.vars, command: quoteForShell(['runbook', 'run', best.runbook.id, '--alert', alertmanager, '--alert-index', handle]) };
  });
}
