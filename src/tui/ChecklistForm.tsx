// A `checklist` step: items as toggles (Space ticks, ↑/↓ move, Enter when done).
import { Box, Text } from 'ink';
import type { ChecklistSpec } from '../runbook/types.js';
import { Priority } from './input-router.js';
import { moveCursor } from './select-state.js';
import { color } from './theme.js';
import { useKeyLayer } from './use-key-layer.js';
import { useStateRef } from './use-state-ref.js';

export function ChecklistForm({ spec, onAnswer }: { spec: ChecklistSpec; onAnswer: (ticked: boolean[]) => void }) {
  const [index, setIndex, indexRef] = useStateRef(0);
  const [ticked, setTicked, tickedRef] = useStateRef(() => spec.items.map(() => false));
  useKeyLayer(Priority.modal, (input, key) => {
    if (key.return) {
      onAnswer(tickedRef.current);
      return true;
    }
    if (input === ' ') {
      setTicked((t) => t.map((v, i) => (i === indexRef.current ? !v : v)));
      return true;
    }
    if (key.upArrow || key.downArrow) {
      setIndex((i) => moveCursor(i, spec.items.length, key));
      return true;
    }
    return !key.ctrl;
  });
  return (
    <Box flexDirection="column">
      {spec.items.map((item, i) => (
        <Text key={item} color={i === index ? color('key') : undefined}>
          {i === index ? '❯' : ' '} {ticked[i] ? '[x]' : '[ ]'} {item}
        </Text>
      ))}
      <Text dimColor>
        Space tick · ↑/↓ move · Enter done ({ticked.filter(Boolean).length}/{spec.items.length} ticked)
      </Text>
    </Box>
  );
}
