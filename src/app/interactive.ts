// THE DECISION POINT between the Ink TUI and the plain runner, taken before anything
// imports Ink (style.md practice 5): a TTY on stdin and stdout, not CI, no
// --non-interactive, no --json. Forcing the TUI where it cannot work (the home screen, or
// --interactive, without a terminal) is a UserError with the way out, never Ink's
// "Raw mode is not supported" stack trace.
import { UserError } from '../errors.js';

export interface FrontEndFlags {
  nonInteractive: boolean;
  json: boolean;
  /** `--interactive`: the TUI or an error, never the plain runner. */
  interactive?: boolean;
}

export interface Terminal {
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

function currentTerminal(): Terminal {
  return { stdinIsTTY: process.stdin.isTTY === true, stdoutIsTTY: process.stdout.isTTY === true, env: process.env };
}

function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** Why the TUI cannot open here, or null when it can. */
export function whyNoTui(terminal: Terminal = currentTerminal()): string | null {
  if (!terminal.stdinIsTTY && !terminal.stdoutIsTTY) return 'stdin and stdout are not a terminal';
  if (!terminal.stdinIsTTY) return 'stdin is not a terminal (keys cannot be read)';
  if (!terminal.stdoutIsTTY) return 'stdout is not a terminal (it is redirected)';
  if (isCi(terminal.env)) return 'CI is set';
  return null;
}

export function wantsInteractive(flags: FrontEndFlags, terminal: Terminal = currentTerminal()): boolean {
  if (flags.nonInteractive || flags.json) {
    if (flags.interactive === true) throw new UserError('--interactive cannot be combined with --non-interactive or --json');
    return false;
  }
  const why = whyNoTui(terminal);
  if (why !== null && flags.interactive === true) {
    throw new UserError(`--interactive needs a terminal, but ${why}`, {
      hint: 'run it in a terminal, or drop --interactive to use the plain runner (answers come from --answer STEP=VALUE)',
    });
  }
  return why === null;
}

/** The home screen has no plain form: without a terminal, say what to run instead. */
export function requireTerminalForHome(terminal: Terminal = currentTerminal()): void {
  const why = whyNoTui(terminal);
  if (why === null) return;
  throw new UserError(`the home screen needs a terminal, but ${why}`, {
    hint: 'in scripts use `runbook list`, `runbook ps`, `runbook sessions` and `runbook run RUNBOOK --non-interactive`; see runbook --help',
  });
}
