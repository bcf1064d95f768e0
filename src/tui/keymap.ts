// Every key binding of the session screen, in one place (style.md practice 3): the
// input router matches keys here, the footer and the `?` help list are drawn from here.
import type { Key } from 'ink';

export type Command = 'run' | 'skip' | 'rerun' | 'note' | 'paste' | 'copy' | 'export' | 'back' | 'forward' | 'cancel' | 'quit' | 'help';

export type KeySpec =
  | { kind: 'char'; char: string }
  | { kind: 'ctrl'; char: string }
  | { kind: 'named'; name: 'return' | 'upArrow' | 'downArrow' | 'escape' };

export interface Binding {
  command: Command;
  keys: KeySpec[];
  /** What the footer shows (short), or undefined to leave it out of the footer. */
  footer?: string;
  /** What `?` shows. */
  description: string;
}

export const KEYMAP: readonly Binding[] = [
  { command: 'run', keys: [{ kind: 'named', name: 'return' }], footer: 'run', description: 'run or confirm the current step' },
  { command: 'skip', keys: [{ kind: 'char', char: 's' }], footer: 'skip', description: 'skip the current step (recorded in the journal)' },
  { command: 'rerun', keys: [{ kind: 'char', char: 'r' }], description: 're-run the finished step selected with ↑/↓ (or the last one)' },
  { command: 'note', keys: [{ kind: 'char', char: 'n' }], footer: 'note', description: 'add a note to the incident notes' },
  { command: 'paste', keys: [{ kind: 'char', char: 'p' }], description: 'paste the output of the current run or read step, run by hand elsewhere (recorded as run by hand)' },
  { command: 'copy', keys: [{ kind: 'char', char: 'c' }], description: 'copy the command to the clipboard (OSC 52) and print it' },
  { command: 'export', keys: [{ kind: 'char', char: 'x' }], footer: 'export', description: 'export incident notes (markdown, into the session dir)' },
  { command: 'back', keys: [{ kind: 'named', name: 'upArrow' }], description: 'look back at an earlier finished step' },
  { command: 'forward', keys: [{ kind: 'named', name: 'downArrow' }], description: 'move forward again, to the current step' },
  { command: 'cancel', keys: [{ kind: 'ctrl', char: 'c' }], description: 'cancel the running step (kills its process group); press again to quit' },
  { command: 'quit', keys: [{ kind: 'char', char: 'q' }], footer: 'quit', description: 'quit; the session stays resumable (runbook resume ID)' },
  { command: 'help', keys: [{ kind: 'char', char: '?' }], footer: 'keys', description: 'show or hide this list' },
];

function keyMatches(spec: KeySpec, input: string, key: Key): boolean {
  switch (spec.kind) {
    case 'char':
      return !key.ctrl && !key.meta && input === spec.char;
    case 'ctrl':
      return key.ctrl && input === spec.char;
    case 'named':
      return key[spec.name];
  }
}

export function commandFor(input: string, key: Key): Command | undefined {
  return KEYMAP.find((binding) => binding.keys.some((spec) => keyMatches(spec, input, key)))?.command;
}

export function keyLabel(spec: KeySpec): string {
  switch (spec.kind) {
    case 'char':
      return spec.char;
    case 'ctrl':
      return `Ctrl+${spec.char.toUpperCase()}`;
    case 'named':
      return { return: 'Enter', upArrow: '↑', downArrow: '↓', escape: 'Esc' }[spec.name];
  }
}

/** "Enter run · s skip · …": the footer line. */
export function footerText(): string {
  return KEYMAP.filter((b) => b.footer !== undefined)
    .map((b) => `${b.keys.map(keyLabel).join('/')} ${b.footer}`)
    .join(' · ');
}
