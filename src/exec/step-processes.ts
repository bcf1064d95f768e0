// Every process a step started, however it detached. A step runs in its own process
// group, but `timeout` and `setsid` make new groups, and daemons and `nohup … &` leave
// too. So each step also gets an environment cookie (the idea of Jenkins'
// ProcessTreeKiller): its processes inherit RUNBOOK_STEP_COOKIE=<random>, and a scan of
// /proc/*/environ finds them wherever they went. A member's descendants count too (a
// child that cleared its environment but has not been reparented yet). See
// docs/processes.md for what each covers and what still escapes.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readProcStat, type ProcStat } from '../util/proc-stat.js';

export const COOKIE_VAR = 'RUNBOOK_STEP_COOKIE';

export interface StepHandle {
  /** The step's process group (= the pid of the process it started). */
  pgid: number;
  /** The value of RUNBOOK_STEP_COOKIE in the step's environment. */
  cookie: string;
  /** The leader's start time (/proc/PID/stat field 22), '' when unknown: nothing of the
   *  step is older, so older processes are not read, and a reused pid is not the step's. */
  startTime: string;
}

export type StepProcess = Pick<ProcStat, 'pid' | 'state' | 'command'>;

export function newCookie(): string {
  return randomBytes(16).toString('hex');
}

/** The pids /proc lists now, but this process's (empty without /proc). */
function listPids(): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid).map(Number);
}

/** Every process /proc lists now but this one. */
export function allProcesses(): ProcStat[] {
  return listPids().flatMap((pid) => readProcStat(pid) ?? []);
}

function carriesCookie(pid: number, needle: Buffer): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`).includes(needle);
  } catch {
    return false; // gone, or another user's process (one we could not signal either)
  }
}

/** Clock ticks compare as numbers; the strings can differ in length. */
function olderThan(stat: ProcStat, startTime: string): boolean {
  return startTime !== '' && BigInt(stat.startTime) < BigInt(startTime);
}

/**
 * Finds a step's processes, again and again while it is being ended. Processes older than
 * the step are read once and then skipped: a full /proc read per poll cost 120-210 ms on
 * the 2-core machine under load (153-213 processes). A skipped pid would be missed only if
 * it were freed and reused by the step within one termination (a wrap of pid_max).
 */
export class StepScanner {
  private readonly old = new Set<number>();
  private readonly needle: Buffer;

  constructor(private readonly step: StepHandle) {
    this.needle = Buffer.from(`${COOKIE_VAR}=${step.cookie}\0`);
  }

  /** The step's processes now, zombies included (Linux only; elsewhere none are found). */
  scan(): StepProcess[] {
    const candidates: ProcStat[] = [];
    for (const pid of listPids()) {
      if (this.old.has(pid)) continue;
      const stat = readProcStat(pid);
      if (stat === undefined) continue;
      if (olderThan(stat, this.step.startTime)) this.old.add(pid);
      else candidates.push(stat);
    }
    const members = new Map<number, ProcStat>();
    for (const stat of candidates) if (stat.pgrp === this.step.pgid || carriesCookie(stat.pid, this.needle)) members.set(stat.pid, stat);
    // Descendants of members, to a fixed point (a chain of children that cleared the cookie).
    for (let grew = true; grew; ) {
      grew = false;
      for (const stat of candidates) {
        if (!members.has(stat.pid) && members.has(stat.ppid)) {
          members.set(stat.pid, stat);
          grew = true;
        }
      }
    }
    return [...members.values()].map(({ pid, state, command }) => ({ pid, state, command }));
  }
}

/** The step's processes now (one scan). */
export function stepProcesses(step: StepHandle): StepProcess[] {
  return new StepScanner(step).scan();
}

/** Zombies and dying tasks run nothing (on this project's machine PID 1 never reaps them). */
export function canRun(member: StepProcess): boolean {
  return member.state !== 'Z' && member.state !== 'X';
}
