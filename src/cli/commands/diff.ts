import type { CommandModule } from 'yargs';
import { UserError } from '../../errors.js';
import { plainArgs } from '../plain-args.js';

interface DiffArgs {
  kind: string;
  before: string;
  after: string;
  json: boolean;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <kind> <before> <after>',
  describe: 'Compare two snapshots (maps, status, smaps-rollup, …) and print what changed',
  builder: (y) =>
    y
      .positional('kind', { type: 'string', demandOption: true, describe: 'diff kind, e.g. maps, status, smaps-rollup' })
      .positional('before', { type: 'string', demandOption: true, describe: 'the earlier snapshot file (- for stdin)' })
      .positional('after', { type: 'string', demandOption: true, describe: 'the later snapshot file (- for stdin)' })
      .option('json', { type: 'boolean', default: false, describe: 'print {facts, warnings, error} as JSON' }),
  handler: (args) => runDiff(args),
};

/** `runbook diff KIND BEFORE AFTER [--json]` in its plain form (see plainArgs), which main() runs without yargs. */
export function plainDiffArgs(argv: readonly string[]): DiffArgs | undefined {
  const plain = plainArgs(argv, 'diff', 3, 3);
  return plain && { kind: plain.words[0]!, before: plain.words[1]!, after: plain.words[2]!, json: plain.json };
}

export async function runDiff(args: DiffArgs): Promise<void> {
  const [{ loadDiffer, differKinds }, { isStreamingDiffer }, { readInput, streamDiffInputs }, { printResult }, { unknownName }] = await Promise.all([
    import('../../diffs/load-differ.js'),
    import('../../parsers/types.js'),
    import('../read-input.js'),
    import('../print-result.js'),
    import('../suggest-name.js'),
  ]);
  const differ = await loadDiffer(args.kind);
  if (differ === undefined) throw unknownName('diff kind', args.kind, differKinds());
  if (args.before === '-' && args.after === '-') throw new UserError('only one of BEFORE and AFTER can be stdin (-)');
  let before: string;
  let after: string;
  let result;
  if (isStreamingDiffer(differ)) {
    // Any size: each file in chunks through a reused buffer; a diff that merges as it reads
    // (maps) holds neither file when both are files (streamDiffInputs).
    const stream = differ.stream();
    [before, after] = await streamDiffInputs(args.before, args.after, stream);
    result = stream.end();
  } else {
    const beforeInput = await readInput(args.before, `the ${differ.kind} diff`);
    const afterInput = await readInput(args.after, `the ${differ.kind} diff`);
    [before, after] = [beforeInput.label, afterInput.label];
    result = differ.diff(beforeInput.bytes, afterInput.bytes);
  }
  // Differs prefix messages with "before:"/"after:"; point at the file they mean.
  const side = result.error?.message.startsWith('after:') ? after : before;
  printResult(result, {
    json: args.json,
    title: `${differ.kind} diff`,
    keyFacts: differ.keyFacts,
    errorLocation: result.error?.message.match(/^(before|after):/) ? side : `${before} → ${after}`,
    warningLocation: `${before} → ${after}`,
  });
}
