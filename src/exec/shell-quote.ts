// Shows an argv as one line that pastes into bash or zsh and runs the same argv, byte
// for byte. Used for command display (TUI, notes); never to run anything.

/** Words that mean the same unquoted in bash and zsh. `=` may not lead (zsh expands `=cmd`). */
const PLAIN_WORD = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/** One argument, single-quoted only when it needs to be. */
function quoteArgument(argument: string): string {
  if (PLAIN_WORD.test(argument)) return argument;
  // Inside single quotes nothing is special but the quote itself: close, \', reopen.
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

/** The whole argv, each element quoted when needed, joined by spaces. */
export function quoteForShell(argv: string[]): string {
  return argv.map(quoteArgument).join(' ');
}
