// A step that changes things (`mutates: true`), or re-running an interrupted step: what it
// will do and where, and an explicit `y` (Enter is not enough).
import { Box, Text } from 'ink';
import type { CommandRecord } from '../journal/records.js';
import { Priority } from './input-router.js';
import { color } from './theme.js';
import { useKeyLayer } from './use-key-layer.js';

export interface ConfirmFormProps {
  question: string;
  command?: CommandRecord;
  /** What the step changes (`changes:`), when it says. */
  changes?: string;
  target: string;
  /** Asked once for a fleet: `target` names the fleet's targets, the command is the first's. */
  fleet?: boolean;
  onAnswer: (yes: boolean) => void;
}

export function ConfirmForm({ question, command, changes, target, fleet = false, onAnswer }: ConfirmFormProps) {
  useKeyLayer(Priority.modal, (input, key) => {
    if (!key.ctrl && (input === 'y' || input === 'Y')) {
      onAnswer(true);
      return true;
    }
    if ((!key.ctrl && (input === 'n' || input === 'N')) || key.escape) {
      onAnswer(false);
      return true;
    }
    return !key.ctrl;
  });
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('warn')} paddingX={1}>
      <Text bold color={color('warn')}>
        ⚠ {question}
      </Text>
      {changes !== undefined ? <Text>changes: {changes}</Text> : null}
      <Text>target: {fleet ? target : (command?.target ?? target)}</Text>
      {command ? <Text>{fleet ? `as on ${command.target}: ` : ''}$ {command.display}</Text> : null}
      <Text>
        press <Text bold>y</Text> to go ahead, <Text bold>n</Text> or Esc not to
      </Text>
    </Box>
  );
}
