import type { CommandModule } from 'yargs';
import { plainArgs } from '../plain-args.js';

interface ParseArgs {
  parser: string;
  file?: string;
  json: boolean;
}

export const parseCommand: CommandModule<object, ParseArgs> = {
  command: 'parse <parser> [file]',
  describe: 'Parse diagnostic output (gctrace, /proc/PID/maps, status, …) into facts',
  builder: (y) =>
    y
      .positional('parser', { type: 'string', demandOption: true, describe: 'parser name, e.g. gctrace, proc-maps, proc-status, smaps-rollup' })
      .positional('file', { type: 'string', describe: 'input file; - or nothing reads stdin' })
      .option('json', { type: 'boolean', default: false, describe: 'print {facts, warnings, error} as JSON' }),
  handler: (args) => runParse(args),
};

/** `runbook parse PARSER [FILE] [--json]` in its plain form (see plainArgs), which main() runs without yargs. */
export function plainParseArgs(argv: readonly string[]): ParseArgs | undefined {
  const plain = plainArgs(argv, 'parse', 1, 2);
  return plain && { parser: plain.words[0]!, file: plain.words[1], json: plain.json };
}

export async function runParse(args: ParseArgs): Promise<void> {
  const [{ loadParser, parserNames }, { isStreamingParser }, { readInput, streamInput }, { printResult }, { unknownName }] = await Promise.all([
    import('../../parsers/load-parser.js'),
    import('../../parsers/types.js'),
    import('../read-input.js'),
    import('../print-result.js'),
    import('../suggest-name.js'),
  ]);
  const parser = await loadParser(args.parser);
  if (parser === undefined) throw unknownName('parser', args.parser, parserNames());
  let label: string;
  let result;
  if (isStreamingParser(parser)) {
    // Any size in bounded memory: chunks through one reused buffer (issue 17 item 4).
    const stream = parser.stream();
    label = await streamInput(args.file, (chunk) => stream.write(chunk));
    result = stream.end();
  } else {
    const input = await readInput(args.file, `the ${parser.name} parser`);
    label = input.label;
    result = parser.parse(input.bytes);
  }
  printResult(result, {
    json: args.json,
    title: parser.name,
    keyFacts: parser.keyFacts,
    errorLocation: label,
    warningLocation: label,
  });
}
