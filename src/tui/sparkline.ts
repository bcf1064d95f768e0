// Small pictures as text: a sparkline (one block per value) and horizontal bars. Pure,
// so they are tested without a terminal.
import { formatNumber } from '../facts/format-number.js';

const BLOCKS = '▁▂▃▄▅▆▇█';

/** One character per value, scaled from 0 to the largest; the last `width` values when longer. */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(Math.max(0, values.length - Math.max(1, width))).filter((v) => Number.isFinite(v));
  const max = Math.max(0, ...shown);
  if (shown.length === 0) return '';
  return shown
    .map((v) => {
      if (max <= 0 || v <= 0) return BLOCKS[0];
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.round((v / max) * (BLOCKS.length - 1)))];
    })
    .join('');
}

export interface Bar {
  label: string;
  value: number;
}

/** "label  ████████ 12.3" rows, longest bar = `width` cells, labels cut to `labelWidth`. */
export function bars(items: readonly Bar[], width: number, labelWidth: number, unit = ''): string[] {
  const max = Math.max(0, ...items.map((i) => Math.abs(i.value)));
  return items.map((item) => {
    const cells = max > 0 ? Math.max(1, Math.round((Math.abs(item.value) / max) * width)) : 0;
    const label = item.label.length > labelWidth ? `…${item.label.slice(item.label.length - labelWidth + 1)}` : item.label.padEnd(labelWidth);
    return `${label} ${'█'.repeat(cells)}${' '.repeat(Math.max(0, width - cells))} ${formatNumber(item.value)}${unit}`;
  });
}

