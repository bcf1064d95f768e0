// Runs one step's command: its own process group, output streamed to artifact files
// with a bounded excerpt in memory, timeout and cancel that end the whole group.
// execa 9 alone only signals the direct child, and its promise waits for any grandchild
// holding the pipe (reliability.md, "Child processes"); this file closes those gaps.
import { execa } from 'execa';
import { stat } from 'node:fs/promises';
import type { OutputExcerpt } from './output-excerpt.js';
import { minimalEnv } from './minimal-env.js';
import { OutputSink } from './output-sink.js';
import { DEFAULT_GRACE_MS, terminateStep } from './process-group.js';
import { registerStep, unregisterStep } from './process-registry.js';
import { COOKIE_VAR, newCookie, type StepHandle, type StepProcess } from './step-processes.js';
import { processStartTime } from '../util/process-identity.js';
import { describeSpawnError } from './spawn-error.js';
import type { ExecRequest, ExecResult } from './types.js';

/** After the direct child exits, how long its pipes may stay open before we cut them. */
const PIPE_DRAIN_MS = 200;

export async function runProcess(req: ExecRequest): Promise<ExecResult> {
  const startedAt = performance.now();
  const graceMs = req.graceMs ?? DEFAULT_GRACE_MS;
  const stdoutSink = await OutputSink.open(req.stdoutPath, req.transform?.('stdout'), (text) =>
    req.onOutput?.('stdout', text),
  );
  const stderrSink = await OutputSink.open(req.stderrPath, req.transform?.('stderr'), (text) =>
    req.onOutput?.('stderr', text),
  );
  const notStarted = async (fields: Partial<ExecResult>): Promise<ExecResult> => ({
    exitCode: null,
    signal: null,
    timedOut: false,
    cancelled: false,
    ...fields,
    durationMs: performance.now() - startedAt,
    ...(await closeSinks(stdoutSink, stderrSink)),
  });

  const [program, ...args] = req.argv;
  if (program === undefined || program === '') return notStarted({ spawnError: 'empty command' });
  if (req.cwd !== undefined && !(await isDirectory(req.cwd))) {
    return notStarted({ spawnError: `working directory '${req.cwd}' does not exist` });
  }
  if (req.signal?.aborted) return notStarted({ cancelled: true });

  // Inherited by everything the step starts, however it detaches (step-processes.ts);
  // set last, so a step's own env cannot clear it.
  const cookie = newCookie();
  const subprocess = execa(program, args, {
    // Own session and process group, so the whole step can be signalled as one.
    detached: true,
    // An inherited stdin steals keystrokes and can drop the terminal out of raw mode.
    stdin: req.stdin ?? 'ignore',
    buffer: false,
    reject: false,
    env: { ...minimalEnv(req.env), [COOKIE_VAR]: cookie },
    extendEnv: false,
    ...(req.cwd !== undefined ? { cwd: req.cwd } : {}),
  });
  const pgid = subprocess.pid;
  if (pgid === undefined) {
    const failure = (await subprocess) as { code?: string; originalMessage?: string; message: string };
    return notStarted({
      spawnError: describeSpawnError(program, failure.code, failure.originalMessage ?? failure.message),
    });
  }
  const step: StepHandle = { pgid, cookie, startTime: processStartTime(pgid) ?? '' };
  registerStep(step);
  req.onStart?.(pgid);

  let timedOut = false;
  let cancelled = false;
  let termination: Promise<StepProcess[]> | undefined;
  const endStep = (): Promise<StepProcess[]> => (termination ??= terminateStep(step, graceMs));
  const timer =
    req.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          void endStep();
        }, req.timeoutMs)
      : undefined;
  const onAbort = (): void => {
    cancelled = true;
    void endStep();
  };
  req.signal?.addEventListener('abort', onAbort, { once: true });

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    subprocess.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const stdoutDone = stdoutSink.consume(subprocess.stdout);
  const stderrDone = stderrSink.consume(subprocess.stderr);
  // execa's promise settles late or fails once we cut the pipes; the exit status comes
  // from the 'exit' event instead.
  void subprocess.catch(() => {});

  const exit = await exited;
  // A `stdin: 'pipe'` (remote transports) is never written; close our end with the child.
  (subprocess.stdin as NodeJS.WritableStream & { destroy(): void } | null)?.destroy();
  clearTimeout(timer);
  req.signal?.removeEventListener('abort', onAbort);
  // An escaped grandchild may hold the pipes open forever: give the last bytes
  // PIPE_DRAIN_MS to arrive, then cut them (reliability.md). A pipe paused only because
  // the artifact file is draining is not cut yet, so no written output is lost.
  // Cut only after this loop iteration's poll phase: timers run before it, so on an event
  // loop held up past PIPE_DRAIN_MS (a fleet of 200 targets on 2 cores) the timer fired
  // while the child's last bytes and EOF sat unread in the pipe, and a remote read came back
  // empty with exit 0 (54 of 200 targets in the fleet benchmark).
  let cutLater: NodeJS.Immediate | undefined;
  const cutPipes = (): void => {
    cutLater = setImmediate(() => {
      for (const [stream, sink] of [
        [subprocess.stdout, stdoutSink],
        [subprocess.stderr, stderrSink],
      ] as const) {
        if (sink.waitingForDisk) {
          pipeTimer = setTimeout(cutPipes, PIPE_DRAIN_MS);
          return;
        }
        stream.destroy();
      }
    });
  };
  let pipeTimer = setTimeout(cutPipes, PIPE_DRAIN_MS);
  // Whatever the step left running (a background `&`, a daemon, a `setsid`) ends with it.
  const [, , survivors] = await Promise.all([stdoutDone, stderrDone, endStep()]);
  clearTimeout(pipeTimer);
  if (cutLater !== undefined) clearImmediate(cutLater);
  unregisterStep(step);

  return {
    exitCode: exit.code,
    signal: exit.signal,
    timedOut,
    cancelled,
    durationMs: performance.now() - startedAt,
    pgid,
    ...(survivors.length > 0 ? { survivors } : {}),
    ...(await closeSinks(stdoutSink, stderrSink)),
  };
}

async function closeSinks(
  stdoutSink: OutputSink,
  stderrSink: OutputSink,
): Promise<{ stdout: OutputExcerpt; stderr: OutputExcerpt; artifactError?: string }> {
  const [stdout, stderr] = await Promise.all([stdoutSink.close(), stderrSink.close()]);
  const artifactError = stdoutSink.writeError ?? stderrSink.writeError;
  return artifactError === undefined ? { stdout, stderr } : { stdout, stderr, artifactError };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
