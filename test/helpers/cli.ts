// Runs the built binary the way a user does, with a clean environment for the tool's state.
import { execa, type Options } from 'execa';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const binPath = fileURLToPath(new URL('../../bin/runbook.js', import.meta.url));

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: Options = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [binPath, ...args], {
    reject: false,
    stdin: 'ignore',
    cwd: repoRoot,
    ...options,
    env: { NO_COLOR: '1', ...(options.env ?? {}) },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
