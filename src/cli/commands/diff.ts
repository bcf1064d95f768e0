import type { CommandModule } from 'yargs';
import { UserError } from '../../errors.js';

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
  handler: async (args) => {
    const [{ getDiffer, differKinds }, { isStreamingDiffer }, { readInput, streamInput }, { printResult }, { unknownName }] = await Promise.all([
      import('../../diffs/registry.js'),
      import('../../parsers/types.js'),
      import('../read-input.js'),
      import('../print-result.js'),
      import('../suggest-name.js'),
    ]);
    const differ = getDiffer(args.kind);
    if (differ === undefined) throw unknownName('diff kind', args.kind, differKinds());
    if (args.before === '-' && args.after === '-') throw new UserError('only one of BEFORE and AFTER can be stdin (-)');
    let before: string;
    let after: string;
    let result;
    if (isStreamingDiffer(differ)) {
      // Each side in chunks through one reused buffer: any size in bounded memory (issue 17 item 4).
      const [first, second] = [differ.side(), differ.side()];
      before = await streamInput(args.before, (chunk) => first.write(chunk));
      after = await streamInput(args.after, (chunk) => second.write(chunk));
      result = differ.compare(first.end(), second.end());
    } else {
      const [a, b] = [await readInput(args.before, `the ${differ.kind} diff`), await readInput(args.after, `the ${differ.kind} diff`)];
      [before, after] = [a.label, b.label];
      result = differ.diff(a.bytes, b.bytes);
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
  },
};
