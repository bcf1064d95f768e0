// How times, durations, sizes and values read in notes: UTC always (an incident spans
// people in several time zones), durations in the largest sensible unit.

/** "2026-11-21 23:41:07 UTC" */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)} UTC`;
}

/** "23:41:07 UTC" */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(11, 19)} UTC`;
}

/** Longest rendering of one value in a table cell; the full value is in the JSON export. */
const MAX_VALUE_CHARS = 120;

/** A fact or input value on one line: strings as they are, everything else as JSON. */
export function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}
