// Errors a user can act on. Every command catches UserError at the top (cli/main.ts)
// and prints `runbook: message` plus the hint, never a stack trace.

export const ExitCode = {
  ok: 0,
  stepFailed: 1,
  usage: 2,
  internal: 70,
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
