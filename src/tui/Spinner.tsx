// A spinner driven by the caller's clock (useNow), so one timer serves the whole card.
import { Text } from 'ink';
import { color } from './theme.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function Spinner({ now }: { now: number }) {
  return <Text color={color('running')}>{FRAMES[Math.floor(now / 100) % FRAMES.length]}</Text>;
}
