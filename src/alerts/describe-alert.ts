// An alert in one line, as `runbook alerts`, `runbook run --alert` and the TUI home show
// it: its name, the labels that say where (job, instance, namespace, pod first), and since when.
import type { Alert } from './payload.js';

const WHERE_FIRST = ['job', 'instance', 'namespace', 'pod', 'container', 'service', 'severity'];

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The alert's name as printed: as it is, or quoted and escaped when it holds a line break or
 *  another control character (a label value may), so it cannot forge a line of what is printed
 *  nor send the terminal a control (C1 CSI 0x9b, NEL 0x85: JSON.stringify leaves those as they are). */
export function alertName(alert: Alert): string {
  if (!CONTROL.test(alert.name)) return alert.name;
  return JSON.stringify(alert.name).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `job=api instance=10.0.0.7:8080 severity=page`: every label but alertname, where-labels first. */
export function keyLabels(alert: Alert): string {
  const names = Object.keys(alert.labels).filter((name) => name !== 'alertname');
  const ordered = [...WHERE_FIRST.filter((name) => names.includes(name)), ...names.filter((name) => !WHERE_FIRST.includes(name)).sort()];
  return ordered.map((name) => `${labelName(name)}=${JSON.stringify(alert.labels[name])}`).join(' ');
}

/** A Prometheus label name as it is; anything else quoted, so a name holding a line break or
 *  `=` cannot forge a line or a label in what is printed. */
function labelName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
}

/** "12 min" / "3 h 5 min" since the alert started, at `now`. */
export function firingFor(alert: Alert, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(alert.starts_at)) / 60_000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} days`;
}

/** How the engineer names one alert of several: its fingerprint, else its place (1-based). */
export function alertHandle(alert: Alert, index: number): string {
  return alert.fingerprint ?? String(index + 1);
}
