// `?`: every key of the session screen with what it does (from the keymap).
import { Box, Text } from 'ink';
import { KEYMAP, keyLabel } from './keymap.js';
import { color } from './theme.js';

export function HelpList() {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Keys</Text>
      {KEYMAP.map((binding) => (
        <Text key={binding.command}>
          <Text color={color('key')}>{binding.keys.map(keyLabel).join(' / ').padEnd(8)}</Text> {binding.description}
        </Text>
      ))}
      <Text dimColor>any key closes this list</Text>
    </Box>
  );
}
