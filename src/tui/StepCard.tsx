// The current step: title, why, the command (pasteable), and then whatever is happening:
// a spinner with elapsed time, timeout countdown and the live output tail while it runs;
// the engine's question while it waits for a person; why it failed when it did.
import { Box, Text } from 'ink';
import type { StepState } from '../engine/events.js';
import type { Step } from '../runbook/types.js';
import { CommandLineView } from './CommandLineView.js';
import type { CommandLine } from './command-preview.js';
import { formatBytes, formatDuration } from '../facts/format-human.js';
import { OutputTailView } from './OutputTailView.js';
import type { LiveStep } from './session-store.js';
import { Spinner } from './Spinner.js';
import { color, STATUS_GLYPH, statusRole } from './theme.js';

export interface StepCardProps {
  step: Step;
  state: StepState | undefined;
  /** The command it runs (filled in), or ran once it started. */
  command: CommandLine | null;
  live: LiveStep | null;
  now: number;
  width: number;
  /** Rows the output tail may use. */
  tailRows: number;
  /** A form the engine is waiting on, drawn in place of the output. */
  children?: React.ReactNode;
}

function runningLine(live: LiveStep, now: number): string {
  const elapsed = now - live.since;
  const parts = [`running ${formatDuration(elapsed)}`];
  const progress = live.progress;
  if (progress?.remainingMs !== undefined) parts.push(`timeout in ${formatDuration(Math.max(0, progress.remainingMs - (now - progress.at)))}`);
  if (progress?.bytes !== undefined && progress.bytes > 0) parts.push(formatBytes(progress.bytes));
  if (progress?.message !== undefined) parts.push(progress.message);
  return parts.join(' · ');
}

export function StepCard({ step, state, command, live, now, width, tailRows, children }: StepCardProps) {
  const status = state?.status ?? 'pending';
  const last = state?.last;
  const mutates = step.kind === 'run' && step.run.mutates === true;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color(live ? 'running' : 'muted')} paddingX={1}>
      <Text wrap="truncate-end">
        <Text color={color(statusRole(status))}>{STATUS_GLYPH[status]}</Text> <Text bold>{step.title ?? step.id}</Text>
        <Text dimColor>
          {' '}
          {step.title ? `${step.id} · ` : ''}
          {step.kind}
          {state && state.attempts > 0 ? ` · attempt ${state.attempts + (live ? 0 : 1)}` : ''}
        </Text>
      </Text>
      {step.why !== undefined ? <Text dimColor>why: {step.why}</Text> : null}
      {command ? <CommandLineView line={command} maxLines={live ? 2 : 4} /> : null}
      {mutates && !live ? (
        <Text color={color('warn')}>⚠ changes things{step.kind === 'run' && step.run.changes ? `: ${step.run.changes}` : ''} — asks for y before it runs</Text>
      ) : null}
      {children ??
        (live ? (
          <Box flexDirection="column">
            <Text>
              <Spinner now={now} /> {runningLine(live, now)}
            </Text>
            <OutputTailView tail={live.tail} rows={tailRows} width={width} />
          </Box>
        ) : last && last.status !== 'passed' && last.status !== 'skipped' ? (
          <Text color={color(statusRole(last.status))} wrap="wrap">
            last attempt {last.status}
            {last.reason ? `: ${last.reason}` : ''} — Enter runs it again, s skips it
          </Text>
        ) : (
          <Text dimColor>Enter runs this step · s skips it</Text>
        ))}
    </Box>
  );
}
