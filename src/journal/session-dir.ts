// A session's directory: journal.jsonl, artifacts/, and a lock naming the live owner.
// Directories 0700 and files 0600: output and facts can hold what the engineer would
// not share (issue 3).
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { isSameProcess, processStartTime } from '../util/process-identity.js';
import { sessionsDir } from './state-dir.js';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Writes a file only its owner can read, also when it already existed: writeFile's `mode`
 *  applies only to a file it creates. */
export function writePrivateFile(path: string, data: string): void {
  writeFileSync(path, data, { mode: FILE_MODE });
  chmodSync(path, FILE_MODE);
}

export interface SessionPaths {
  dir: string;
  journal: string;
  artifacts: string;
  lock: string;
}

export function sessionPaths(stateDir: string, id: string): SessionPaths {
  const dir = join(sessionsDir(stateDir), id);
  return { dir, journal: join(dir, 'journal.jsonl'), artifacts: join(dir, 'artifacts'), lock: join(dir, 'session.lock') };
}

export function createSessionDir(stateDir: string, id: string): SessionPaths {
  const paths = sessionPaths(stateDir, id);
  mkdirSync(sessionsDir(stateDir), { recursive: true, mode: DIR_MODE });
  mkdirSync(paths.dir, { mode: DIR_MODE });
  mkdirSync(paths.artifacts, { mode: DIR_MODE });
  // mkdir's mode passes through the umask; set it exactly.
  chmodSync(paths.dir, DIR_MODE);
  chmodSync(paths.artifacts, DIR_MODE);
  return paths;
}

/** Takes the session's lock for this process; a lock left by a dead process (or by a pid
 *  since reused by an unrelated process) is taken over. Two live processes driving one
 *  session would interleave its journal, so taking it is atomic (docs/engine.md "Lock"):
 *  the lock appears only by link(2) of a complete per-owner file, and a stale lock is
 *  removed only by the one process that created its breaker file with O_EXCL. */
export function lockSession(paths: SessionPaths, sessionId: string): () => void {
  const content = `${process.pid} ${processStartTime(process.pid) ?? ''}\n`;
  const mine = `${paths.lock}.${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(mine, content, { flag: 'wx', mode: FILE_MODE });
  try {
    for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
      try {
        linkSync(mine, paths.lock);
        return () => releaseLock(paths, content);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readLock(paths);
      if (holder === null) continue; // released meanwhile: link again
      if (holderIsAlive(holder)) {
        const who = holder.pid === process.pid ? `this process (${holder.pid})` : `process ${holder.pid}`;
        throw new UserError(`session ${sessionId} is in use by ${who}`, { hint: `wait for it to finish, or stop process ${holder.pid} first` });
      }
      breakStaleLock(paths, holder);
    }
    throw new UserError(`session ${sessionId}: could not take ${paths.lock} after ${LOCK_ATTEMPTS} attempts`, {
      hint: `another process is taking it over; if none is, remove ${paths.lock}.break-* by hand`,
    });
  } finally {
    rmSync(mine, { force: true });
  }
}

const LOCK_ATTEMPTS = 100;
const LOCK_RETRY_MS = 20;

interface LockHolder {
  pid: number;
  /** Absent in a lock written before start times were recorded. */
  startTime: string | undefined;
  raw: string;
}

function readLock(paths: SessionPaths): LockHolder | null {
  let raw: string;
  try {
    raw = readFileSync(paths.lock, 'utf8');
  } catch {
    return null;
  }
  const [pidText = '', startTime] = raw.trim().split(' ');
  return { pid: Number.parseInt(pidText, 10), startTime: startTime === '' ? undefined : startTime, raw };
}

function holderIsAlive(holder: LockHolder): boolean {
  return Number.isInteger(holder.pid) && holder.pid > 0 && isSameProcess(holder.pid, holder.startTime);
}

/** Removes a stale lock, unless another process is already doing so. Only the creator of the
 *  breaker named after this holder removes the lock, and only while it still holds this
 *  holder's content: a fresh lock linked by a faster process is never removed. */
function breakStaleLock(paths: SessionPaths, holder: LockHolder): void {
  const breaker = `${paths.lock}.break-${holder.raw.trim().replace(/[^0-9]+/g, '-')}`;
  try {
    writeFileSync(breaker, `${process.pid}\n`, { flag: 'wx', mode: FILE_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    sleepSync(LOCK_RETRY_MS); // someone else is breaking it
    return;
  }
  try {
    if (readLock(paths)?.raw === holder.raw) rmSync(paths.lock, { force: true });
  } finally {
    rmSync(breaker, { force: true });
  }
}

/** Removes the lock only while it is still this owner's. */
function releaseLock(paths: SessionPaths, content: string): void {
  if (readLock(paths)?.raw === content) rmSync(paths.lock, { force: true });
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The pid holding the lock if that process is alive (and is the one that took it), else null. */
export function lockOwner(paths: SessionPaths): number | null {
  const holder = readLock(paths);
  return holder !== null && holderIsAlive(holder) ? holder.pid : null;
}
