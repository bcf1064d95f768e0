// The keys that work on what the screen shows, always visible at the bottom (from the
// keymap, so it cannot drift): no `Enter run` once the session is over.
import { Text } from 'ink';
import { footerText, type FooterMode } from './keymap.js';

export function Footer({ mode, extra }: { mode: FooterMode; extra?: string }) {
  return (
    <Text dimColor wrap="truncate-end">
      {extra ? `${extra} · ` : ''}
      {footerText(mode)}
    </Text>
  );
}
