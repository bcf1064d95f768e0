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
  frames: StackFrame[];
}

export const DEBUG1_HEADER = /^goroutine profile: total (\d{1,19})\s*$/m;
const RECORD = /^(\d{1,19}) @((?: 0x[0-9a-f]+)*)\s*$/;
const FRAME = /^#\t+(0x[0-9a-f]+)\t+(\S+?)\+0x[0-9a-f]+\t+(.*):(\d{1,10})\s*$/;
const BARE_PC = /^#\t+(0x[0-9a-f]+)\s*$/;
const LABELS = /^# labels: (.*)$/;

/**
 * Reads a debug=1 profile a line at a time and hands each record to `onRecord` once the
 * next one starts, a blank line ends it, or the input ends (its frames are complete then).
 */
export class Debug1Reader {
  /** From the header line; null when there is none. */
  total: number | null = null;
  private current: Debug1Record | null = null;

  constructor(
    private readonly onRecord: (record: Debug1Record) => void,
    private readonly warn: (warning: ParseWarning) => void,
  ) {}

  /** One line of the text split at `\n` (a trailing `\r` is dropped here); `lineNo` is 1-based. */
  line(raw: string, lineNo: number): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') {
      this.finish();
      return;
    }
    const header = DEBUG1_HEADER.exec(line);
    if (header && this.total === null) {
      this.total = Number(header[1]);
      return;
    }
    const record = RECORD.exec(line);
    if (record) {
      this.finish();
      this.current = { count: Number(record[1]), frames: [] };
      return;
    }
    const rec = this.current;
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
    if (rec && LABELS.test(line)) return;
    this.warn({ message: `unexpected line: ${JSON.stringify(line.slice(0, 80))}`, line: lineNo });
  }

  /** After the last line. */
  end(): void {
    this.finish();
  }

  private finish(): void {
    if (this.current) this.onRecord(this.current);
    this.current = null;
  }
}
