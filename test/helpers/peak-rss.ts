import { execa, type Options } from 'execa';
import { readFileSync } from 'node:fs';
import { binPath, repoRoot } from './cli.js';

/** Peak resident set (VmHWM) of a live process in kB, or undefined once it is gone. */
export function peakRssKb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the CLI, sampling its VmHWM (which only grows: the last reading is the peak). */
export async function runCliMeasured(args: string[], options: Options = {}): Promise<{ exitCode: number; stdout: string; stderr: string; peakKb: number }> {
  const child = execa(process.execPath, [binPath, ...args], { reject: false, stdin: 'ignore', cwd: repoRoot, env: { NO_COLOR: '1' }, ...options });
  let peakKb = 0;
  const sampler = setInterval(() => {
    peakKb = Math.max(peakKb, peakRssKb(child.pid!) ?? 0);
  }, 20);
  const result = await child;
  clearInterval(sampler);
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), peakKb };
}
