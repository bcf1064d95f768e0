// The plain form of a command line that main() runs without loading yargs (issue 19,
// start-up): yargs and its help renderer were two fifths of `runbook parse`'s start-up and
// most of `runbook diff`'s before it read a byte (CPU profiles). Plain means words that are
// not options, and `--json` as is at most once; any other form (help, `-` for stdin,
// `--json=…`, a mistake) is left to yargs, which says what is wrong.

export interface PlainArgs {
  words: string[];
  json: boolean;
}

/** `argv` as `COMMAND WORD… [--json]` with `min`..`max` words after COMMAND; else undefined. */
export function plainArgs(argv: readonly string[], command: string, min: number, max: number): PlainArgs | undefined {
  if (argv[0] !== command) return undefined;
  const words = argv.slice(1).filter((arg) => arg !== '--json');
  const flags = argv.length - 1 - words.length;
  if (flags > 1 || words.length < min || words.length > max) return undefined;
  if (words.some((word) => word === '' || word.startsWith('-'))) return undefined;
  return { words, json: flags === 1 };
}
