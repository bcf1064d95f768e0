// goroutine?debug=1 (runtime/pprof printCountProfile) → records of identical stacks.
//   goroutine profile: total 508
//   500 @ 0x43bfb6 0x408bbb 0x680b3b 0x46bf01
//   #	0x680b3a	main.leakGoroutines.func1+0x1a	/src/main.go:72
// Frames are tabwriter-aligned (runs of tabs). The runtime omits leading runtime.* frames and
// runtime.goexit (printStackRecord), and labels since Go 1.9 add a "# labels: {…}" line.
import type { ParseWarning } from '../types.js';
import type { StackFrame } from './stack-dump.js';

export interface Debug1Record {
  count: number;
  pcs: string[];
  frames: StackFrame[];
  labels: string | null;
}

export interface Debug1Profile {
  total: number | null;
  records: Debug1Record[];
  warnings: ParseWarning[];
}

export const DEBUG1_HEADER = /^goroutine profile: total (\d{1,19})\s*$/m;
const RECORD = /^(\d{1,19}) @((?: 0x[0-9a-f]+)*)\s*$/;
const FRAME = /^#\t+(0x[0-9a-f]+)\t+(\S+?)\+0x[0-9a-f]+\t+(.*):(\d{1,10})\s*$/;
const BARE_PC = /^#\t+(0x[0-9a-f]+)\s*$/;
const LABELS = /^# labels: (.*)$/;

export function parseDebug1(text: string): Debug1Profile {
  const warnings: ParseWarning[] = [];
  const records: Debug1Record[] = [];
  let total: number | null = null;
  let current: Debug1Record | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const lineNo = i + 1;
    if (line.trim() === '') {
      current = null;
      return;
    }
    const header = DEBUG1_HEADER.exec(line);
    if (header && total === null) {
      total = Number(header[1]);
      return;
    }
    const record = RECORD.exec(line);
    if (record) {
      current = { count: Number(record[1]), pcs: record[2]!.trim().split(' ').filter(Boolean), frames: [], labels: null };
      records.push(current);
      return;
    }
    const rec: Debug1Record | null = current;
    const frame = FRAME.exec(line);
    if (rec && frame) {
      rec.frames.push({ func: frame[2]!, file: frame[3]!, line: Number(frame[4]) });
      return;
    }
    const bare = BARE_PC.exec(line);
    if (rec && bare) {
      rec.frames.push({ func: bare[1]!, file: '', line: 0 });
      return;
    }
    const labels = LABELS.exec(line);
    if (rec && labels) {
      rec.labels = labels[1]!;
      return;
    }
    warnings.push({ message: `unexpected line: ${JSON.stringify(line.slice(0, 80))}`, line: lineNo });
  });
  return { total, records, warnings };
}
