// Errors a user can act on (UserError) and bugs (InternalError). Every command reports
// both at the top (cli/report-failure.ts): a UserError as `runbook: message` plus the hint,
// a bug as one line naming the file that holds its stack; never a stack on the screen.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ExitCode = {
  ok: 0,
  stepFailed: 1,
  usage: 2,
  internal: 70,
  /** Evidence or the journal could not be written (disk full, read-only): sysexits EX_IOERR. */
  ioError: 74,
  cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface UserErrorOptions {
  /** What to do about it, e.g. "pass --answer confirm=yes". */
  hint?: string;
  exitCode?: number;
  /** FILE:LINE:COL where the problem is, when there is one. */
  location?: string;
}

export class UserError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;
  readonly location: string | undefined;

  constructor(message: string, options: UserErrorOptions = {}) {
    super(message);
    this.name = 'UserError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.location = options.location;
  }
}

/** One line for the terminal: `FILE:LINE:COL: message — hint`. */
export function formatUserError(error: UserError): string {
  const where = error.location ? `${error.location}: ` : '';
  const hint = error.hint ? `\n  hint: ${error.hint}` : '';
  return `${where}${error.message}${hint}`;
}

export interface InternalErrorContext {
  /** The session the bug hit, left resumable. */
  sessionId?: string;
  sessionDir?: string;
  /** The file already holding the stack (written where the bug was caught). */
  detailsFile?: string;
}

/** A bug in runbook, not in the engineer's input: exit 70, the stack in a file. */
export class InternalError extends Error {
  readonly sessionId: string | undefined;
  readonly sessionDir: string | undefined;
  detailsFile: string | undefined;

  constructor(message: string, context: InternalErrorContext & { cause?: unknown } = {}) {
    super(message, context.cause !== undefined ? { cause: context.cause } : undefined);
    this.name = 'InternalError';
    this.sessionId = context.sessionId;
    this.sessionDir = context.sessionDir;
    this.detailsFile = context.detailsFile;
  }
}

/** Any thrown value as an InternalError (kept as it is when it already is one). */
export function asInternalError(error: unknown, context: InternalErrorContext = {}): InternalError {
  if (error instanceof InternalError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(message, { ...context, cause: error });
}

/** The command line with every `--var` value masked: which input is secret is not known
 *  here (the runbook may not have loaded), and a report file must not carry one. */
export function commandLineForReport(argv: readonly string[]): string {
  const masked = argv.map((arg, i) => {
    const inline = /^(--var=[^=]*=)/.exec(arg);
    if (inline) return `${inline[1]}[REDACTED:var]`;
    if (argv[i - 1] === '--var') return arg.replace(/=.*$/s, '=[REDACTED:var]');
    return arg;
  });
  return masked.join(' ');
}

/** Writes what a maintainer needs (message, stacks, versions, command line), passed through
 *  `redact`, to `<dir>/internal-error-<time>.txt` (0600) and returns its path. */
export function writeErrorDetails(dir: string, error: InternalError, toolVersion: string, redact: (text: string) => string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `internal-error-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`);
  const lines = [
    `runbook ${toolVersion}, node ${process.version}, ${process.platform} ${process.arch}`,
    `command: ${commandLineForReport(process.argv.slice(2))}`,
    ...(error.sessionId !== undefined ? [`session: ${error.sessionId}`] : []),
    '',
    error.stack ?? error.message,
  ];
  for (let cause = error.cause; cause !== undefined; cause = cause.cause) {
    lines.push('', 'caused by:', cause instanceof Error ? (cause.stack ?? cause.message) : String(cause));
    if (!(cause instanceof Error)) break;
  }
  writeFileSync(path, redact(`${lines.join('\n')}\n`), { flag: 'wx', mode: 0o600 });
  return path;
}

/** What the engineer sees: one line saying it is a bug and where the details are, and
 *  how to resume the session it hit. */
export function formatInternalError(error: InternalError): string {
  const where = error.detailsFile !== undefined ? `details in ${error.detailsFile}` : 'no details file could be written';
  const line = `internal error (a bug in runbook, not in your input): ${firstLine(error.message)}; ${where}`;
  return error.sessionId !== undefined ? `${line}\n  session ${error.sessionId} is left open; resume it with: runbook resume ${error.sessionId}` : line;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)} …` : line;
}

/** errno codes that mean the file system refused a write: the machine's state, not a bug. */
const WRITE_REFUSED = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO', 'EFBIG', 'EACCES', 'EPERM', 'EMFILE', 'ENFILE']);

/** A write the file system refused, as a UserError (exit 74) naming what and why; undefined
 *  for anything else. */
export function writeRefused(error: unknown, what: string, hint: string): UserError | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || !WRITE_REFUSED.has(code)) return undefined;
  const syscall = (error as NodeJS.ErrnoException).message.split(',')[1]?.split(/[,']/)[0]?.trim();
  return new UserError(`cannot write ${what}: ${code}${syscall ? ` (${syscall})` : ''}`, { hint, exitCode: ExitCode.ioError });
}
