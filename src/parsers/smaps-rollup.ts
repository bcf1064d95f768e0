// /proc/PID/smaps_rollup → every field as a fact (Rss → rss_kb, Pss_Anon → pss_anon_kb, …).
// The field set varies by kernel; the first line is the `[rollup]` pseudo-mapping header.
import { procFieldsParser } from './proc-fields.js';

const rollupHeader = /^[0-9a-fA-F]+-[0-9a-fA-F]+ \S+ [0-9a-fA-F]+ \S+ \d+\s+\[rollup\]\s*$/;

export const smapsRollupParser = procFieldsParser({
  name: 'smaps-rollup',
  summary: '/proc/PID/smaps_rollup: Rss, Pss, Anonymous, Swap and every other field (exact, unlike status)',
  keyFacts: ['rss_kb', 'pss_kb', 'anonymous_kb', 'swap_kb', 'pss_anon_kb', 'private_dirty_kb'],
  skipLine: (line) => rollupHeader.test(line),
  verdict: (fields, blank) => {
    if (blank) return { code: 'empty', message: 'no input: expected the text of /proc/PID/smaps_rollup' };
    if ('rss_kb' in fields) return undefined;
    return { code: 'unrecognised-format', message: 'not a smaps_rollup file: no "Rss: N kB" line' };
  },
});
