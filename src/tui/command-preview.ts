// The command line of a step card and what `c` copies: the command that ran (from its
// step.started record) or, before it runs, the engine's filled-in preview of it; both are
// text a person can paste into a shell on the target. A compute step shows its expressions
// (there is nothing to copy); a template that cannot be filled in yet says why.
import { pasteableCommand, type CommandPreview } from '../engine/command-preview.js';
import type { CommandRecord } from '../journal/records.js';
import type { Step } from '../runbook/types.js';

export type CommandLine =
  /** `ran`: the exact command of the attempt shown; otherwise what will run. */
  | { kind: 'command'; text: string; ran: boolean }
  /** Not a command (compute expressions): shown, never copied. */
  | { kind: 'expressions'; text: string }
  | { kind: 'unfilled'; reason: string };

export function commandLine(step: Step, ran: CommandRecord | undefined, preview: () => CommandPreview | null): CommandLine | null {
  if (ran !== undefined) return { kind: 'command', text: pasteableCommand(ran), ran: true };
  if (step.kind === 'compute') {
    return { kind: 'expressions', text: Object.entries(step.compute).map(([name, expr]) => `${name} = ${expr}`).join('; ') };
  }
  const shown = preview();
  if (shown === null) return null;
  return shown.ok ? { kind: 'command', text: shown.text, ran: false } : { kind: 'unfilled', reason: shown.reason };
}

/** What `c` copies, or why there is nothing to copy. */
export function copyText(line: CommandLine | null): { text: string } | { reason: string } {
  if (line === null || line.kind === 'expressions') return { reason: 'this step runs no command (nothing to copy)' };
  if (line.kind === 'unfilled') return { reason: `its command cannot be filled in yet: ${line.reason}` };
  return { text: line.text };
}
