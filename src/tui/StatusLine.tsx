// The session's header line: runbook, target, session id, elapsed time, status.
import { Text } from 'ink';
import { basename } from 'node:path';
import type { SessionState } from '../engine/events.js';
import { formatDuration } from '../facts/format-human.js';
import { color } from './theme.js';

/** `full`: the bundle's whole path (the header); otherwise its name (the status line). */
export function targetLabel(state: SessionState, full = false): string {
  if (state.bundle === undefined) return state.target;
  return `bundle ${full ? state.bundle : basename(state.bundle)}`;
}

/** Elapsed time first and the session id last: at 80 columns the id is what gets cut. The
 *  clock stops when the session does. */
export function StatusLine({ state, now }: { state: SessionState; now: number }) {
  const end = state.status !== 'running' && state.conclusion !== undefined ? Date.parse(state.conclusion.t) : now;
  const elapsed = end - Date.parse(state.startedAt);
  return (
    <Text wrap="truncate-end">
      <Text bold color={color('accent')}>
        {state.runbook.title}
      </Text>
      <Text dimColor>
        {' '}
        · {formatDuration(Number.isFinite(elapsed) ? elapsed : 0)}
        {state.status !== 'running' ? ` · ${state.status}` : ''} · {targetLabel(state)} · {state.id}
      </Text>
    </Text>
  );
}
