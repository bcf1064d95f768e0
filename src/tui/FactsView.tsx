// Every fact of a finished step (`f`): the key facts first, then all the others in human
// units, in a window that scrolls with ↑/↓ and PgUp/PgDn; typing filters by name or value
// (all words must match), Backspace edits the filter, Esc goes back.
import { Box, Text } from 'ink';
import { filterFactLines, type FactLine } from '../facts/fact-lines.js';
import { Priority } from './input-router.js';
import { editText } from './text-edit.js';
import { withEnterTypedAhead } from './line-keys.js';
import { color } from './theme.js';
import { useKeyLayer } from './use-key-layer.js';
import { useStateRef } from './use-state-ref.js';

export interface FactsViewProps {
  title: string;
  lines: readonly FactLine[];
  /** Rows for the facts themselves. */
  rows: number;
  width: number;
  onClose: () => void;
}

export function FactsView({ title, lines, rows, width, onClose }: FactsViewProps) {
  const [filter, setFilter, filterRef] = useStateRef('');
  const [top, setTop, topRef] = useStateRef(0);
  const shown = filterFactLines(lines, filter);
  const room = Math.max(3, rows);
  useKeyLayer(
    Priority.modal,
    withEnterTypedAhead((input, key) => {
      const visible = filterFactLines(lines, filterRef.current).length;
      const last = Math.max(0, visible - room);
      if (key.escape) {
        onClose();
        return true;
      }
      if (key.upArrow || key.downArrow || key.pageUp || key.pageDown) {
        const step = key.pageUp || key.pageDown ? room : 1;
        const up = key.upArrow || key.pageUp;
        setTop(Math.min(last, Math.max(0, topRef.current + (up ? -step : step))));
        return true;
      }
      const edit = editText(filterRef.current, input, key, false);
      if (edit.handled) {
        setFilter(edit.value);
        setTop(0);
      }
      return !key.ctrl;
    }),
  );
  const first = Math.min(top, Math.max(0, shown.length - room));
  const nameWidth = Math.min(40, Math.max(8, ...shown.slice(first, first + room).map((line) => line.name.length)));
  const valueWidth = Math.max(10, width - nameWidth - 4);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text wrap="truncate-end">
        <Text bold>{title}</Text>
        <Text dimColor>
          {' '}
          · {shown.length === lines.length ? `${lines.length} facts` : `${shown.length} of ${lines.length} facts`}
          {shown.length > room ? ` · ${first + 1}–${Math.min(shown.length, first + room)}` : ''}
        </Text>
      </Text>
      <Text>
        <Text dimColor>filter: </Text>
        {filter}
        <Text color={color('key')}>▏</Text>
      </Text>
      {shown.slice(first, first + room).map((line) => (
        <Text key={line.name} wrap="truncate-end">
          <Text color={line.key ? color('accent') : undefined} dimColor={!line.key}>
            {line.name.length > nameWidth ? `${line.name.slice(0, nameWidth - 1)}…` : line.name.padEnd(nameWidth)}
          </Text>
          {'  '}
          {line.value.length > valueWidth ? `${line.value.slice(0, valueWidth - 1)}…` : line.value}
        </Text>
      ))}
      {shown.length === 0 ? <Text dimColor>no fact matches “{filter}”</Text> : null}
      <Text dimColor wrap="truncate-end">↑/↓ PgUp/PgDn scroll · type to filter · Backspace · Esc back</Text>
    </Box>
  );
}
