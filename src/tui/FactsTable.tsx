// A finished step's facts as a compact two-column table (names padded to one width).
import { Box, Text } from 'ink';

export function FactsTable({ rows, width }: { rows: Array<[string, string]>; width: number }) {
  const nameWidth = Math.min(32, Math.max(...rows.map(([name]) => name.length)));
  const valueWidth = Math.max(8, width - nameWidth - 6);
  return (
    <Box flexDirection="column" paddingLeft={4}>
      {rows.map(([name, value]) => (
        <Text key={name}>
          <Text dimColor>{name.length > nameWidth ? `${name.slice(0, nameWidth - 1)}…` : name.padEnd(nameWidth)}</Text>
          {'  '}
          {value.length > valueWidth ? `${value.slice(0, valueWidth - 1)}…` : value}
        </Text>
      ))}
    </Box>
  );
}
