// Drives the real binary in a real terminal: a detached tmux session of a fixed size,
// keys sent with send-keys, the screen read with capture-pane. The command runs inside
// `sh` so the test can see how it exited and whether the terminal settings (stty) and
// the cursor came back.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, repoRoot } from '../helpers/cli.js';

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

export interface TerminalRun {
  name: string;
  dir: string;
  screen(): string;
  waitFor(expected: string | RegExp | ((screen: string) => boolean), timeoutMs?: number, pollMs?: number): Promise<string>;
  keys(...keys: string[]): void;
  resize(columns: number, rows: number): void;
  /** pid of the `node bin/runbook.js` process, once it runs. */
  toolPid(): number | undefined;
  /** The exit code, once the tool has exited (read from the marker line). */
  exitCode(): number | undefined;
  sttyRestored(): boolean;
  cursorVisible(): boolean;
  kill(): void;
}

let counter = 0;

export function openTerminal(args: string[], env: Record<string, string> = {}, size = { columns: 100, rows: 30 }): TerminalRun {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-e2e-'));
  const name = `runbook-e2e-${process.pid}-${counter++}`;
  const exports = Object.entries({ XDG_STATE_HOME: join(dir, 'state'), ...env })
    .map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = [
    `cd '${repoRoot}'`,
    `stty -g > '${dir}/stty-before'`,
    `env -u CI ${exports} '${process.execPath}' '${binPath}' ${quoted}`,
    `echo "EXIT:$?"`,
    `stty -g > '${dir}/stty-after'`,
    'sleep 600',
  ].join('; ');
  tmux('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), 'sh', '-c', script);
  const screen = (): string => tmux('capture-pane', '-p', '-t', name);
  return {
    name,
    dir,
    screen,
    waitFor: async (expected, timeoutMs = 20_000, pollMs = 25) => {
      const deadline = Date.now() + timeoutMs;
      const matches = (text: string): boolean =>
        typeof expected === 'string' ? text.includes(expected) : expected instanceof RegExp ? expected.test(text) : expected(text);
      let text = screen();
      while (!matches(text)) {
        if (Date.now() > deadline) throw new Error(`no ${String(expected)} on screen within ${timeoutMs} ms; screen:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        text = screen();
      }
      return text;
    },
    keys: (...keys) => {
      tmux('send-keys', '-t', name, ...keys);
    },
    resize: (columns, rows) => {
      tmux('resize-window', '-t', name, '-x', String(columns), '-y', String(rows));
    },
    toolPid: () => {
      const panePid = Number(tmux('display', '-p', '-t', name, '#{pane_pid}').trim());
      return descendants(panePid).find((pid) => readText(`/proc/${pid}/cmdline`).includes(binPath));
    },
    exitCode: () => {
      const match = /EXIT:(\d+)/.exec(screen());
      return match ? Number(match[1]) : undefined;
    },
    sttyRestored: () => existsSync(join(dir, 'stty-after')) && readText(join(dir, 'stty-before')) === readText(join(dir, 'stty-after')),
    cursorVisible: () => tmux('display', '-p', '-t', name, '#{cursor_flag}').trim() === '1',
    kill: () => {
      try {
        tmux('kill-session', '-t', name);
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The selected row of a list: the line the ❯ cursor is on. */
export function cursorLine(screen: string): string {
  return screen.split('\n').find((line) => line.startsWith('❯ ')) ?? '';
}

/** Down, one press at a time and each waited for (a slow frame cannot make it overshoot),
 *  until the selected row starts with `prefix`; at most `limit` presses. */
export async function moveCursorTo(term: TerminalRun, prefix: string, limit = 40): Promise<void> {
  for (let i = 0; i < limit && !cursorLine(term.screen()).startsWith(prefix); i++) {
    const before = cursorLine(term.screen());
    term.keys('Down');
    await term.waitFor((screen) => cursorLine(screen) !== before);
  }
  if (!cursorLine(term.screen()).startsWith(prefix)) throw new Error(`no row starting ${prefix} within ${limit} rows; screen:\n${term.screen()}`);
}

/** Enter until `done` is on screen: each press runs the step in the card and waits for the
 *  card to move on (its first line changes) or `done` to show. */
export async function enterUntil(term: TerminalRun, done: RegExp, limit = 20, timeoutMs = 20_000): Promise<string> {
  const card = (screen: string): string => {
    const lines = screen.split('\n');
    return lines[lines.findIndex((line) => line.startsWith('╭')) + 1] ?? '';
  };
  for (let i = 0; i < limit && !done.test(term.screen()); i++) {
    const before = card(term.screen());
    term.keys('Enter');
    await term.waitFor((screen) => done.test(screen) || (card(screen) !== before && screen.includes('Enter runs this step')), timeoutMs);
  }
  return term.waitFor(done, timeoutMs);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
}

export function procStat(pid: number): ProcStat | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === '') return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pid, state: fields[0]!, ppid: Number(fields[1]), pgrp: Number(fields[2]) };
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/** Every process below `root` (children, their children, …). */
export function descendants(root: number): number[] {
  const stats = allPids()
    .map(procStat)
    .filter((s): s is ProcStat => s !== undefined);
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const children = stats.filter((s) => frontier.includes(s.ppid)).map((s) => s.pid);
    found.push(...children);
    frontier = children;
  }
  return found;
}

export function commandOf(pid: number): string {
  return readText(`/proc/${pid}/cmdline`).split('\0').join(' ').trim();
}

/** Resident memory of a process in KiB (VmRSS), or undefined once it is gone. */
export function rssKb(pid: number): number | undefined {
  const match = /VmRSS:\s+(\d+) kB/.exec(readText(`/proc/${pid}/status`));
  return match ? Number(match[1]) : undefined;
}
