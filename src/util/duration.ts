// Durations as runbooks write them: `30s`, `1m30s`, `250ms`, `2h`, `1.5s`.

export type DurationResult = { ok: true; ms: number } | { ok: false; error: string };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
// Units must come largest first and at most once, so `30s1m` and `1m1m` are mistakes.
const UNIT_ORDER = ['d', 'h', 'm', 's', 'ms'];
const PART = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/y;
/** Longer than this is a typo (ms for s), not a runbook timeout. */
const MAX_MS = 366 * 86_400_000;

export function parseDuration(text: string): DurationResult {
  const source = typeof text === 'string' ? text.trim() : '';
  if (source === '') return invalid(text, 'empty');
  let total = 0;
  let position = 0;
  let lastUnit = -1;
  while (position < source.length) {
    PART.lastIndex = position;
    const match = PART.exec(source);
    if (match === null) {
      const bare = /^\d+(\.\d+)?$/.test(source);
      return invalid(text, bare ? `add a unit, e.g. '${source}s'` : `unexpected '${source.slice(position)}'`);
    }
    const unit = match[2] as string;
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= lastUnit) return invalid(text, `units must go from largest to smallest, each once`);
    lastUnit = rank;
    total += Number(match[1]) * (UNIT_MS[unit] as number);
    position = PART.lastIndex;
  }
  if (total > MAX_MS) return invalid(text, 'longer than a year');
  return { ok: true, ms: Math.round(total) };
}

function invalid(text: unknown, why: string): DurationResult {
  return { ok: false, error: `invalid duration '${String(text)}': ${why} (examples: 250ms, 30s, 1m30s, 2h)` };
}

/** In the syntax parseDuration reads (`250ms`, `1.5s`, `1m30s`, `2h`): for reasons and messages
 *  that echo a runbook's durations. Status lines and notes use facts/format-human.ts. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${trim(ms / 1000, ms < 10_000 ? 2 : 1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h${minutes > 0 ? `${minutes}m` : ''}`;
  return `${minutes}m${seconds > 0 ? `${seconds}s` : ''}`;
}

function trim(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}
