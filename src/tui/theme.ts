// Colours by role, and the one switch that turns them off: NO_COLOR (no-color.org).
// Chalk 5 (under Ink) does not read NO_COLOR itself, so every colour goes through here.
import type { StepViewStatus } from '../engine/events.js';
import type { Severity } from '../runbook/types.js';

export type Role = 'passed' | 'failed' | 'warn' | 'running' | 'muted' | 'accent' | 'key';

const COLORS: Record<Role, string> = {
  passed: 'green',
  failed: 'red',
  warn: 'yellow',
  running: 'cyan',
  muted: 'gray',
  accent: 'magenta',
  key: 'cyan',
};

export function colorsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR === undefined || env.NO_COLOR === '';
}

/** A colour for Ink's `color` prop, or undefined under NO_COLOR. */
export function color(role: Role): string | undefined {
  return colorsEnabled() ? COLORS[role] : undefined;
}

export const STATUS_GLYPH: Record<StepViewStatus, string> = {
  pending: '○',
  running: '◉',
  passed: '✔',
  failed: '✘',
  timeout: '⏱',
  skipped: '↷',
  cancelled: '⊘',
  interrupted: '⚠',
};

export function statusRole(status: StepViewStatus): Role {
  switch (status) {
    case 'passed':
      return 'passed';
    case 'failed':
    case 'timeout':
      return 'failed';
    case 'skipped':
    case 'pending':
      return 'muted';
    case 'running':
      return 'running';
    case 'cancelled':
    case 'interrupted':
      return 'warn';
  }
}

export function severityRole(severity: Severity): Role {
  return severity === 'high' || severity === 'critical' ? 'failed' : severity === 'medium' ? 'warn' : 'accent';
}
