// Two /proc/PID/smaps_rollup snapshots → rss_kb_delta, anonymous_kb_delta, … for every field.
import { smapsRollupParser } from '../parsers/smaps-rollup.js';
import { fieldDeltaDiffer } from './field-deltas.js';

export const smapsRollupDiffer = fieldDeltaDiffer(
  'smaps-rollup',
  smapsRollupParser,
  'two /proc/PID/smaps_rollup snapshots: Rss, Pss, Anonymous, Swap, … deltas',
  ['rss_kb_delta', 'pss_kb_delta', 'anonymous_kb_delta', 'swap_kb_delta', 'private_dirty_kb_delta'],
);
