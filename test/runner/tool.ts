// Drives the built tool as a real child process, the way an engineer's shell does.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, repoRoot } from '../helpers/cli.js';
import type { JournalRecord } from '../../src/journal/records.js';

export interface ToolDirs {
  state: string;
  config: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
}

export function toolDirs(): ToolDirs {
  const root = mkdtempSync(join(tmpdir(), 'runbook-cli-'));
  const state = join(root, 'state');
  const config = join(root, 'config');
  return {
    state,
    config,
    env: { ...process.env, RUNBOOK_STATE_DIR: state, RUNBOOK_CONFIG_DIR: config, CI: 'true', NO_COLOR: '1' },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startTool(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [binPath, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, stderr: () => err, exit };
}

export function sessionIds(stateDir: string): string[] {
  const dir = join(stateDir, 'sessions');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

export function journalText(stateDir: string, id: string): string {
  const file = join(stateDir, 'sessions', id, 'journal.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

export function journalRecords(stateDir: string, id: string): JournalRecord[] {
  return journalText(stateDir, id)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JournalRecord);
}

/** Pids of processes whose command line contains `marker`. */
export function processesMatching(marker: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(marker) && !line.includes('ps -eo'))
    .map((line) => Number.parseInt(line.trim(), 10));
}

/** A `sleep` duration no other process on the machine has: a marker for pgrep and /proc
 *  in the command lines of sleep itself, `timeout` and the remote watcher shell. */
export function uniqueSleep(): string {
  return `300.${String(process.pid).padStart(7, '0')}${Math.floor(Math.random() * 1e9)}`;
}

/** A process's NUL-separated argv; '' once it has exited. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** Pids of `program` itself with `marker` in its command line: on a loopback target, the
 *  remote command, not the ssh/kubectl, watcher or `timeout` command lines carrying the
 *  marker too. */
export function programsMatching(program: string, marker: string): number[] {
  return processesMatching(marker).filter((pid) => commandLine(pid).startsWith(`${program}\0`));
}

/** Waits until no process carries `marker`; the error lists those left. */
export async function waitForNoProcess(marker: string, timeoutMs: number, what: string): Promise<void> {
  await waitFor(() => processesMatching(marker).length === 0, timeoutMs, what).catch((error: Error) => {
    const left = processesMatching(marker).map((pid) => commandLine(pid).replaceAll('\0', ' '));
    throw new Error(`${error.message}: ${left.join('\n')}`);
  });
}

export async function waitFor(condition: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
