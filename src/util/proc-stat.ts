// One process's line in /proc/PID/stat, the fields the tool reads. The command name may
// hold spaces and parentheses, so fields are counted after the last ')'.
import { readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  /** R, S, D, T, Z (zombie), … */
  state: string;
  /** The command name (comm), at most 15 chars. */
  command: string;
  ppid: number;
  pgrp: number;
  /** Field 22: clock ticks since boot when the process started. */
  startTime: string;
}

/** The stat of `pid`, or undefined (no such process now, or no /proc). */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  // state is field 3, the first after the name; starttime (22) is the 20th.
  const fields = text.slice(close + 2).split(' ');
  const startTime = fields[19];
  if (startTime === undefined || !/^\d+$/.test(startTime)) return undefined;
  return {
    pid,
    state: fields[0] ?? '?',
    command: text.slice(text.indexOf('(') + 1, close),
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    startTime,
  };
}
