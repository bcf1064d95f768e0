// One picture from pictures.ts: a titled sparkline with its range, or labelled bars.
import { Box, Text } from 'ink';
import type { Picture } from './pictures.js';
import { formatNumber } from '../facts/format-number.js';
import { bars, sparkline } from './sparkline.js';
import { color } from './theme.js';

export function PictureView({ picture, width }: { picture: Picture; width: number }) {
  if (picture.kind === 'sparkline') {
    const line = sparkline(picture.values, Math.max(8, width - 8));
    const shown = picture.values.slice(picture.values.length - line.length);
    const min = Math.min(...shown);
    const max = Math.max(...shown);
    return (
      <Box flexDirection="column" paddingLeft={4}>
        <Text dimColor>
          {picture.title} ({shown.length} cycles, {formatNumber(min)}–{formatNumber(max)} {picture.unit})
        </Text>
        <Text color={color('accent')}>{line}</Text>
      </Box>
    );
  }
  const labelWidth = Math.min(28, Math.max(...picture.bars.map((b) => b.label.length)));
  const barWidth = Math.max(6, Math.min(30, width - labelWidth - 20));
  return (
    <Box flexDirection="column" paddingLeft={4}>
      <Text dimColor>{picture.title}</Text>
      {bars(picture.bars, barWidth, labelWidth, picture.unit).map((row, i) => (
        <Text key={i} color={color('accent')}>
          {row}
        </Text>
      ))}
    </Box>
  );
}
