// The path taken, on one wrapped line: the steps run so far in the order they were first
// run, each with its status glyph, then the current step, then how many were not reached
// (a branching runbook lists alternatives the session will never visit).
import { Text } from 'ink';
import type { SessionState } from '../engine/events.js';
import { color, STATUS_GLYPH, statusRole } from './theme.js';

function stripSteps(state: SessionState): { shown: string[]; notReached: number } {
  const shown = [...new Set([...state.path, ...(state.currentStep !== null ? [state.currentStep] : [])])];
  return { shown, notReached: state.steps.length - shown.length };
}

export function StepStrip({ state }: { state: SessionState }) {
  const { shown, notReached } = stripSteps(state);
  return (
    <Text wrap="wrap">
      {shown.map((id, i) => {
        const step = state.steps.find((s) => s.id === id);
        const status = step?.status ?? 'pending';
        const current = id === state.currentStep;
        return (
          <Text key={id}>
            {i > 0 ? <Text dimColor> → </Text> : ''}
            <Text color={color(statusRole(status))}>{STATUS_GLYPH[status]} </Text>
            <Text bold={current} underline={current}>
              {id}
            </Text>
          </Text>
        );
      })}
      {notReached > 0 ? <Text dimColor> · {notReached} more not reached</Text> : null}
    </Text>
  );
}
