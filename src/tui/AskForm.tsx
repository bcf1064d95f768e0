// An `ask` step: the question and its choices as a selection (↑/↓ or the number, Enter).
import { Box, Text } from 'ink';
import type { AskSpec } from '../runbook/types.js';
import { Priority } from './input-router.js';
import { moveCursor } from './select-state.js';
import { color } from './theme.js';
import { useKeyLayer } from './use-key-layer.js';
import { useStateRef } from './use-state-ref.js';

export function AskForm({ spec, onAnswer }: { spec: AskSpec; onAnswer: (value: string) => void }) {
  const initial = Math.max(0, spec.choices.findIndex((c) => c.value === spec.default));
  const [index, setIndex, indexRef] = useStateRef(initial);
  useKeyLayer(Priority.modal, (input, key) => {
    const number = Number.parseInt(input, 10);
    if (!key.ctrl && number >= 1 && number <= spec.choices.length) {
      onAnswer(spec.choices[number - 1]!.value);
      return true;
    }
    if (key.return) {
      onAnswer(spec.choices[indexRef.current]!.value);
      return true;
    }
    if (key.upArrow || key.downArrow) {
      setIndex((i) => moveCursor(i, spec.choices.length, key));
      return true;
    }
    return !key.ctrl;
  });
  return (
    <Box flexDirection="column">
      <Text bold>{spec.question}</Text>
      {spec.choices.map((choice, i) => (
        <Text key={choice.value} color={i === index ? color('key') : undefined}>
          {i === index ? '❯' : ' '} {i + 1}. {choice.label ?? choice.value}
          {choice.label !== undefined ? <Text dimColor> ({choice.value})</Text> : null}
        </Text>
      ))}
      <Text dimColor>↑/↓ or 1–{spec.choices.length} choose · Enter confirm</Text>
    </Box>
  );
}
