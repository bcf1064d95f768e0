// Contract of the process runner (exec/run-process.ts): how the engine runs one step's
// command. See ../shared/docs/reliability.md for why each field exists.
import type { OutputExcerpt } from './output-excerpt.js';

export interface ExecRequest {
  /** Program and arguments; never joined into shell text. */
  argv: string[];
  /** Extra environment (merged over a minimal inherited one). */
  env?: Record<string, string>;
  cwd?: string;
  /** Kill the process group after this long. */
  timeoutMs?: number;
  /** Between SIGTERM and SIGKILL of the group (default 2000 ms). */
  graceMs?: number;
  /** Artifact files the output streams go to as it arrives (created 0600). */
  stdoutPath: string;
  stderrPath: string;
  /** Aborting cancels the step: the whole process group gets TERM, then KILL. */
  signal?: AbortSignal;
  /** Applied to each decoded text chunk before it reaches disk or listeners (redaction). */
  transform?: (stream: 'stdout' | 'stderr') => TextTransform;
  /** Live output for the UI tail, after transform. */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** `pipe` for remote transports (src/targets): the pipe stays open, unwritten, for the
   *  life of the process, and its EOF tells the far side the step was cancelled.
   *  Default `ignore` (an inherited stdin steals keystrokes: reliability.md). */
  stdin?: 'ignore' | 'pipe';
  /** Called once the process has started, with its process group id (= its pid). */
  onStart?: (pgid: number) => void;
}

/** A streaming text transform that may hold back a bounded overlap between chunks. */
export interface TextTransform {
  push(chunk: string): string;
  end(): string;
}

export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  stdout: OutputExcerpt;
  stderr: OutputExcerpt;
  /** The program could not be started (ENOENT, EACCES): words for the engineer. */
  spawnError?: string;
  /** The step's process group id; absent when nothing was started. */
  pgid?: number;
  /** Writing an artifact file failed (e.g. disk full): output after that point is lost. */
  artifactError?: string;
  /** Processes of the step still running after TERM, the grace and KILL (one the tool may
   *  not signal, or frozen): absent when none is left. */
  survivors?: Array<{ pid: number; state: string; command: string }>;
}
