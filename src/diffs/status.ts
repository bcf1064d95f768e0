// Two /proc/PID/status snapshots → vm_rss_kb_delta, threads_delta, … for every numeric field.
import { procStatusParser } from '../parsers/proc-status.js';
import { fieldDeltaDiffer } from './field-deltas.js';

export const statusDiffer = fieldDeltaDiffer(
  'status',
  procStatusParser,
  'two /proc/PID/status snapshots: VmRSS, RssAnon, Threads, … deltas',
  ['vm_rss_kb_delta', 'rss_anon_kb_delta', 'rss_file_kb_delta', 'vm_data_kb_delta', 'vm_hwm_kb_delta', 'threads_delta'],
);
