// What a step will do, as text, before it runs. Once it has run, the exact command is in
// its step.started record (CommandRecord.display, shell-quoted, pasteable); before that a
// run step shows its argv with the {{ }} templates still in it.
import { quoteForShell } from '../exec/shell-quote.js';
import type { StepStartedRecord } from '../journal/records.js';
import type { Step } from '../runbook/types.js';

export interface CommandText {
  text: string;
  /** The exact command that ran (pasteable), rather than the runbook's template. */
  exact: boolean;
}

export function commandText(step: Step, started: StepStartedRecord | undefined): CommandText | null {
  if (started?.command) return { text: started.command.display, exact: true };
  switch (step.kind) {
    case 'run':
      return { text: step.run.shell ?? quoteForShell(step.run.argv ?? []), exact: false };
    case 'read':
      return { text: `read ${step.read.path}`, exact: false };
    case 'fetch':
      return { text: `GET ${step.fetch.url}`, exact: false };
    case 'wait':
      return { text: `wait ${step.wait}`, exact: false };
    case 'snapshot':
      return { text: `collect ${step.snapshot.collect.join(', ')}${step.snapshot.compare_to ? ` (compare to ${step.snapshot.compare_to})` : ''}`, exact: false };
    case 'compute':
      return { text: Object.entries(step.compute).map(([name, expr]) => `${name} = ${expr}`).join('; '), exact: false };
    default:
      return null;
  }
}
