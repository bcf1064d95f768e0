// The main keys, always visible at the bottom (from the keymap, so it cannot drift).
import { Text } from 'ink';
import { footerText } from './keymap.js';

export function Footer({ extra }: { extra?: string }) {
  return (
    <Text dimColor wrap="truncate-end">
      {extra ? `${extra} · ` : ''}
      {footerText()}
    </Text>
  );
}
