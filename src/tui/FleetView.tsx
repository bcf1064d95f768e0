// The fleet view: one row per target (its current step, elapsed time, finding or why not),
// a summary line with the counts by finding, scrolling when the fleet is taller than the
// terminal (↑/↓, PgUp/PgDn, g/G), Enter opening the selected target's session screen.
// A question the fleet asks once for every child (fleet-interactor.ts) takes the rows'
// place until answered. Rows come from FleetProgress, so a child's event redraws only
// through Ink's frame limit: no flicker however many children report at once.
import { Box, Text } from 'ink';
import { useRef, useSyncExternalStore } from 'react';
import { formatDuration } from '../facts/format-human.js';
import type { FleetProgress, MemberRow } from '../fleet/fleet-progress.js';
import { Priority } from './input-router.js';
import type { PromptBroker } from './prompt-broker.js';
import { PromptForm } from './PromptForm.js';
import { color } from './theme.js';
import { useKeyLayer } from './use-key-layer.js';
import { useStateRef } from './use-state-ref.js';
import { useNow } from './use-now.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Title, summary and the key line, plus one spare: a frame as tall as the terminal makes
 *  Ink clear the whole screen on every redraw (flicker); one row shorter, it redraws in place. */
const CHROME_ROWS = 4;

export interface FleetViewProps {
  progress: FleetProgress;
  title: string;
  /** Where the fleet's questions wait (its interactor is the fleet's person). */
  broker: PromptBroker;
  /** q or Ctrl+C: the first cancels the fleet, once concluded it closes the view. */
  onQuit: () => void;
  /** Enter on a row: open that target's session screen. */
  onOpen: (row: MemberRow) => void;
  /** A line under the rows (why a row did not open). */
  message?: string | null;
}

export function FleetView({ progress, title, broker, onQuit, onOpen, message = null }: FleetViewProps): React.JSX.Element {
  const state = useSyncExternalStore(progress.subscribe, progress.snapshot);
  const prompt = useSyncExternalStore(broker.subscribe, broker.getSnapshot);
  const { columns, rows: height } = useTerminalSize();
  const now = useNow(1000, !state.concluded);
  const [cursor, setCursor, cursorRef] = useStateRef(0);
  const visible = Math.max(1, height - CHROME_ROWS - (message !== null ? 1 : 0));
  const count = state.rows.length;
  const selected = Math.min(cursor, Math.max(0, count - 1));
  const latest = useRef({ count, visible, rows: state.rows });
  latest.current = { count, visible, rows: state.rows };
  useKeyLayer(Priority.global, (input, key) => {
    if (!(key.ctrl && input === 'c')) return false;
    onQuit();
    return true;
  });
  useKeyLayer(Priority.screen, (input, key) => {
    const { count: n, visible: page } = latest.current;
    const last = Math.max(0, n - 1);
    if (input === 'q') onQuit();
    else if (key.return) {
      const { rows } = latest.current;
      const row = rows[Math.min(cursorRef.current, rows.length - 1)];
      if (row !== undefined) onOpen(row);
    } else if (key.upArrow) setCursor((c) => Math.max(0, c - 1));
    else if (key.downArrow) setCursor((c) => Math.min(last, c + 1));
    else if (key.pageUp) setCursor((c) => Math.max(0, c - page));
    else if (key.pageDown) setCursor((c) => Math.min(last, c + page));
    else if (input === 'g') setCursor(0);
    else if (input === 'G') setCursor(last);
    else return false;
    return true;
  });
  const top = Math.min(Math.max(0, selected - visible + 1), Math.max(0, count - visible), selected);
  const shown = state.rows.slice(top, top + visible);
  const targetWidth = Math.max(12, Math.min(Math.floor(columns * 0.45), ...state.rows.map((r) => r.target.length)));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{title}</Text>
        <Text color={color('muted')}>{` fleet ${state.fleetId ?? ''} · ${count} targets${count > visible ? ` · ${top + 1}–${top + shown.length}` : ''}`}</Text>
      </Text>
      <Text wrap="truncate-end">{summaryLine(state.rows)}</Text>
      {prompt !== null ? (
        <Box flexDirection="column">
          <Text color={color('accent')} wrap="truncate-end">{`${prompt.kind === 'input' ? `input ${prompt.name}` : (prompt.step.title ?? prompt.step.id)}: one answer for all ${count} targets`}</Text>
          <PromptForm prompt={prompt} broker={broker} fleet target={`${count} targets of this fleet`} maxRows={Math.max(2, visible - 2)} />
        </Box>
      ) : (
        shown.map((row, i) => (
        <Text key={row.target} wrap="truncate-end" inverse={top + i === selected}>
          <Text color={color(roleOf(row))}>{glyph(row)} </Text>
          {fit(row.target, targetWidth)}
          {'  '}
          {fit(elapsed(row, now), 6)}
          {'  '}
          {detail(row)}
        </Text>
        ))
      )}
      {message !== null ? <Text color={color('warn')} wrap="truncate-end">{message}</Text> : null}
      <Text color={color('muted')} wrap="truncate-end">
        {state.concluded ? '↑/↓ PgUp/PgDn scroll · Enter open · q close' : '↑/↓ PgUp/PgDn scroll · Enter open · q cancel every target'}
      </Text>
    </Box>
  );
}

/** `3 running · 2 waiting · 4 × go-heap-growth · 1 failed`. */
export function summaryLine(rows: MemberRow[]): string {
  const parts: string[] = [];
  const running = rows.filter((r) => r.status === 'running').length;
  const waiting = rows.filter((r) => r.status === 'waiting').length;
  if (running > 0) parts.push(`${running} running`);
  if (waiting > 0) parts.push(`${waiting} waiting`);
  const findings = new Map<string, number>();
  for (const row of rows) if (row.finding !== undefined) findings.set(row.finding, (findings.get(row.finding) ?? 0) + 1);
  for (const [finding, n] of [...findings.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) parts.push(`${n} × ${finding}`);
  const failed = rows.filter((r) => r.status === 'failed').length;
  if (failed > 0) parts.push(`${failed} could not be diagnosed`);
  return parts.join(' · ');
}

function glyph(row: MemberRow): string {
  return row.status === 'running' ? '◉' : row.status === 'concluded' ? '■' : row.status === 'failed' ? '✘' : '○';
}

function roleOf(row: MemberRow): 'running' | 'passed' | 'failed' | 'muted' {
  return row.status === 'running' ? 'running' : row.status === 'concluded' ? 'passed' : row.status === 'failed' ? 'failed' : 'muted';
}

function elapsed(row: MemberRow, now: number): string {
  if (row.startedAt === undefined) return '';
  return formatDuration(Math.max(0, (row.endedAt ?? now) - row.startedAt));
}

function detail(row: MemberRow): string {
  switch (row.status) {
    case 'concluded':
      return `[${row.severity ?? ''}] ${row.finding ?? ''}`;
    case 'failed':
      return row.reason ?? 'failed';
    case 'running':
      return row.step !== undefined ? `▶ ${row.step}` : 'opening the session';
    default:
      return 'waiting';
  }
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}
