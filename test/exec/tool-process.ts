// Starts the fixture tool (fixtures/run-step.mjs) as a real separate node process and
// collects the JSON lines it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freshDir } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/run-step.mjs', import.meta.url));

export interface ToolProcess {
  child: ChildProcess;
  outDir: string;
  /** The step's process group and the watchdog's pid, once the step has started. */
  started: Promise<{ started: number; watchdog: number }>;
  /** Exit of the tool, with every JSON line it printed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: Array<Record<string, unknown>> }>;
}

export function startTool(argv: string[], options: string[] = []): ToolProcess {
  const outDir = freshDir();
  const child = spawn(process.execPath, [fixture, outDir, ...options, '--', ...argv], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let pending = '';
  let onStarted: (value: { started: number; watchdog: number }) => void = () => {};
  const started = new Promise<{ started: number; watchdog: number }>((resolve) => (onStarted = resolve));
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    pending += chunk;
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      lines.push(parsed);
      if ('started' in parsed) onStarted(parsed as { started: number; watchdog: number });
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: typeof lines }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, lines })),
  );
  return { child, outDir, started, exited };
}
