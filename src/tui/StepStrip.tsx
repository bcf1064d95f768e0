// Every step of the runbook on one wrapped line, each with its status glyph: where the
// session is, what it did, what is left.
import { Text } from 'ink';
import type { SessionState } from '../engine/events.js';
import { color, STATUS_GLYPH, statusRole } from './theme.js';

export function StepStrip({ state }: { state: SessionState }) {
  return (
    <Text wrap="wrap">
      {state.steps.map((step, i) => {
        const current = step.id === state.currentStep;
        return (
          <Text key={step.id}>
            {i > 0 ? '  ' : ''}
            <Text color={color(statusRole(step.status))}>{STATUS_GLYPH[step.status]} </Text>
            <Text bold={current} underline={current} dimColor={!current && step.status === 'pending'}>
              {step.id}
            </Text>
          </Text>
        );
      })}
    </Text>
  );
}
