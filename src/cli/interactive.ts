// THE DECISION POINT between the Ink TUI and the plain runner, taken before anything
// imports Ink (style.md practice 5): a TTY on stdin and stdout, not CI, no
// --non-interactive, no --json.
export interface FrontEndFlags {
  nonInteractive: boolean;
  json: boolean;
}

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

export function wantsInteractive(flags: FrontEndFlags): boolean {
  return !flags.nonInteractive && !flags.json && process.stdin.isTTY === true && process.stdout.isTTY === true && !isCi();
}
