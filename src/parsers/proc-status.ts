// /proc/PID/status → every field as a fact (VmRSS → vm_rss_kb, Threads → threads, …).
// Real files use a tab after the colon; some use spaces (procfs fixture 26235) and one starts
// with an empty line (26231): both are accepted.
import { procFieldsParser } from './proc-fields.js';

export const procStatusParser = procFieldsParser({
  name: 'proc-status',
  summary: '/proc/PID/status: VmRSS, VmHWM, RssAnon, RssFile, VmData, Threads and every other field',
  keyFacts: ['vm_rss_kb', 'vm_hwm_kb', 'rss_anon_kb', 'rss_file_kb', 'vm_data_kb', 'threads'],
  verdict: (fields, blank) => {
    if (blank) return { code: 'empty', message: 'no input: expected the text of /proc/PID/status' };
    if ('pid' in fields || 'vm_rss_kb' in fields || 'threads' in fields) return undefined;
    return { code: 'unrecognised-format', message: 'not a /proc/PID/status file: none of Pid, VmRSS, Threads found' };
  },
});
