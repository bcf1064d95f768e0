// One entry of the session log, drawn once into Ink's <Static> (finished steps, notes,
// the conclusion, messages such as a copied command or an export path).
import { Box, Text } from 'ink';
import type { SessionState } from '../engine/events.js';
import { ConclusionCard } from './ConclusionCard.js';
import { FinishedStep } from './FinishedStep.js';
import type { LogEntry } from './session-store.js';
import { targetLabel } from './StatusLine.js';
import { color } from './theme.js';

export function LogEntryView({ entry, state, width }: { entry: LogEntry; state: SessionState; width: number }) {
  switch (entry.kind) {
    case 'header':
      return (
        <Box flexDirection="column" marginBottom={1}>
          <Text>
            <Text bold color={color('accent')}>
              {state.runbook.title}
            </Text>
            <Text dimColor> ({state.runbook.id})</Text>
          </Text>
          <Text dimColor>{state.runbook.summary}</Text>
          <Text dimColor>
            target {targetLabel(state, true)} · session {state.id}
          </Text>
        </Box>
      );
    case 'finished':
      return (
        <FinishedStep
          step={state.runbook.steps.find((s) => s.id === entry.record.step)}
          record={entry.record}
          facts={state.facts[entry.record.step]}
          command={entry.command}
          width={width}
        />
      );
    case 'note':
      return <Text color={color('accent')}>✎ note: {entry.record.text}</Text>;
    case 'concluded':
      return (
        <ConclusionCard
          conclusion={entry.record}
          path={state.path.map((id) => state.steps.find((s) => s.id === id)?.last).filter((r) => r !== undefined)}
        />
      );
    case 'message':
      return <Text color={entry.tone === 'warn' ? color('warn') : undefined}>{entry.text}</Text>;
  }
}
