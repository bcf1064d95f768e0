// The cursor of a list (selections, checklists, the home screen): ↑/↓ move and wrap.
import type { Key } from 'ink';

export function moveCursor(index: number, count: number, key: Key): number {
  if (count === 0) return 0;
  if (key.upArrow) return (index - 1 + count) % count;
  if (key.downArrow) return (index + 1) % count;
  return index;
}
