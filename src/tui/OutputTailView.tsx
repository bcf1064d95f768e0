// The running step's last output lines, already bounded and cut by OutputTail; here they
// are cut again to the rows and columns the frame has left.
import { Box, Text } from 'ink';
import type { TailView } from './output-tail.js';

export function OutputTailView({ tail, rows, width }: { tail: TailView; rows: number; width: number }) {
  const lines = tail.lines.slice(Math.max(0, tail.lines.length - rows));
  const earlier = tail.earlier + tail.lines.length - lines.length;
  const cut = Math.max(10, width - 4);
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {earlier > 0 ? <Text dimColor>… {earlier} earlier lines</Text> : null}
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length > cut ? line.slice(0, cut) : line}
        </Text>
      ))}
    </Box>
  );
}
