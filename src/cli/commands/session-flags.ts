// Flags that `run` and `resume` share: how questions are answered and how events are shown.
import type { Argv } from 'yargs';

export interface SessionFlagArgs {
  var?: string[];
  answer?: string[];
  'non-interactive'?: boolean;
  interactive?: boolean;
  yes?: boolean;
  json?: boolean;
  notes?: string;
}

export function withSessionFlags<T>(yargs: Argv<T>, varHelp: string): Argv<T & SessionFlagArgs> {
  return yargs
    .option('var', { type: 'string', array: true, describe: varHelp })
    .option('answer', { type: 'string', array: true, describe: 'answer STEP=CHOICE for ask/checklist/note steps (repeatable)' })
    .option('non-interactive', { type: 'boolean', describe: 'never open the TUI; questions need --answer' })
    .option('interactive', { type: 'boolean', describe: 'open the TUI, or fail when there is no terminal' })
    .option('yes', { type: 'boolean', describe: 'confirm mutating steps and re-runs of interrupted steps' })
    .option('json', { type: 'boolean', describe: 'one JSON object per event on stdout' })
    .option('notes', { type: 'string', describe: 'write incident notes to FILE when the session ends, however it ends (.json for JSON, else markdown)' });
}

/** The parsed flags in the shape the runner takes. */
export function sessionFlagValues(args: SessionFlagArgs): { var?: string[]; answer?: string[]; notes?: string; nonInteractive: boolean; interactive: boolean; yes: boolean; json: boolean } {
  return {
    ...(args.notes !== undefined ? { notes: args.notes } : {}),
    ...(args.var ? { var: args.var } : {}),
    ...(args.answer ? { answer: args.answer } : {}),
    nonInteractive: args['non-interactive'] === true,
    interactive: args.interactive === true,
    yes: args.yes === true,
    json: args.json === true,
  };
}
