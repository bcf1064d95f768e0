// A session's directory: journal.jsonl, artifacts/, and a lock naming the live owner.
// Directories 0700 and files 0600: output and facts can hold what the engineer would
// not share (issue 3).
import { chmodSync, closeSync, constants, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
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

/** Takes the session's lock for this process; a lock left by a dead process is taken over.
 *  Two live processes driving one session would interleave its journal. */
export function lockSession(paths: SessionPaths, sessionId: string): () => void {
  const owner = lockOwner(paths);
  if (owner !== null) {
    const who = owner === process.pid ? `this process (${owner})` : `process ${owner}`;
    throw new UserError(`session ${sessionId} is in use by ${who}`, { hint: `wait for it to finish, or stop process ${owner} first` });
  }
  rmSync(paths.lock, { force: true });
  const fd = openSync(paths.lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, FILE_MODE);
  writeSync(fd, `${process.pid}\n`);
  closeSync(fd);
  return () => rmSync(paths.lock, { force: true });
}

/** The pid holding the lock if that process is alive, else null. */
export function lockOwner(paths: SessionPaths): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(paths.lock, 'utf8'), 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive but someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
