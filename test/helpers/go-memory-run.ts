// go-memory run by the real binary (--json), for the live e2e tests: the finding, the
// text, the steps taken and each snapshot step's evidence dirs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli.js';

export interface Run {
  finding: string | undefined;
  text: string;
  path: string[];
  /** The snapshot dirs of the before and after steps (vars.json holds the service's counters). */
  snapshots: Record<string, string>;
  stderr: string;
}

export async function runGoMemory(source: string[], stateDir: string, answers: string[]): Promise<Run> {
  const args = ['run', 'go-memory', ...source, ...answers.flatMap((a) => ['--answer', a]), '--non-interactive', '--json'];
  const result = await runCli(args, { env: { RUNBOOK_STATE_DIR: stateDir, CI: 'true' }, timeout: 400_000 });
  const events = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; session: string; step?: string; finding?: string; text?: string; artifacts?: Record<string, string> });
  const finished = events.filter((e) => e.type === 'step.finished');
  const concluded = events.find((e) => e.type === 'session.concluded');
  const snapshots: Record<string, string> = {};
  // Artifact paths are relative to the session's dir.
  for (const e of finished) if (e.artifacts?.snapshot) snapshots[e.step!] = join(stateDir, 'sessions', e.session, e.artifacts.snapshot);
  return { finding: concluded?.finding, text: concluded?.text ?? '', path: finished.map((e) => e.step!), snapshots, stderr: result.stderr };
}

/** A counter of the service as one snapshot's vars.json recorded it. */
export function counterIn(snapshotDir: string | undefined, name: string): number {
  if (snapshotDir === undefined) throw new Error('no snapshot dir in the run');
  return Number((JSON.parse(readFileSync(join(snapshotDir, 'vars.json'), 'utf8')) as Record<string, unknown>)[name]);
}
