// Every key binding of the session screen, in one place (style.md practice 3): the
// input router matches keys here, the footer and the `?` help list are drawn from here.
import type { Key } from 'ink';

export type Command = 'run' | 'skip' | 'rerun' | 'note' | 'paste' | 'copy' | 'facts' | 'export' | 'back' | 'forward' | 'cancel' | 'quit' | 'help';

export type KeySpec =
  | { kind: 'char'; char: string }
  | { kind: 'ctrl'; char: string }
  | { kind: 'named'; name: 'return' | 'upArrow' | 'downArrow' | 'escape' };

/** What the session screen is showing: the footer offers only the keys that work there. */
export type FooterMode = 'step' | 'running' | 'look-back' | 'over';

export interface Binding {
  command: Command;
  keys: KeySpec[];
  /** What the footer shows (short) in each mode where the key does something; absent: never. */
  footer?: Partial<Record<FooterMode, string>>;
  /** What `?` shows. */
  description: string;
}

export const KEYMAP: readonly Binding[] = [
  { command: 'run', keys: [{ kind: 'named', name: 'return' }], footer: { step: 'run', 'look-back': 'back' }, description: 'run or confirm the current step' },
  { command: 'skip', keys: [{ kind: 'char', char: 's' }], footer: { step: 'skip' }, description: 'skip the current step (recorded in the journal)' },
  { command: 'rerun', keys: [{ kind: 'char', char: 'r' }], footer: { 'look-back': 're-run' }, description: 're-run the finished step selected with ↑/↓ (or the last one)' },
  { command: 'note', keys: [{ kind: 'char', char: 'n' }], footer: { step: 'note', running: 'note', 'look-back': 'note' }, description: 'add a note to the incident notes' },
  { command: 'paste', keys: [{ kind: 'char', char: 'p' }], description: 'paste the output of the current run or read step, run by hand elsewhere (recorded as run by hand)' },
  { command: 'copy', keys: [{ kind: 'char', char: 'c' }], footer: { 'look-back': 'copy' }, description: 'copy the command to the clipboard (OSC 52) and print it' },
  { command: 'facts', keys: [{ kind: 'char', char: 'f' }], footer: { step: 'facts', 'look-back': 'facts', over: 'facts' }, description: 'every fact of the finished step selected with ↑/↓ (or the last one): scroll, type to filter' },
  { command: 'export', keys: [{ kind: 'char', char: 'x' }], footer: { step: 'export', over: 'export' }, description: 'export incident notes (markdown, into the session dir)' },
  { command: 'back', keys: [{ kind: 'named', name: 'upArrow' }], footer: { step: 'look back', over: 'look back' }, description: 'look back at an earlier finished step' },
  { command: 'forward', keys: [{ kind: 'named', name: 'downArrow' }], description: 'move forward again, to the current step' },
  { command: 'cancel', keys: [{ kind: 'ctrl', char: 'c' }], footer: { running: 'cancel' }, description: 'cancel the running step (kills its process group); press again to quit' },
  { command: 'quit', keys: [{ kind: 'char', char: 'q' }], footer: { step: 'quit', running: 'quit', 'look-back': 'quit', over: 'quit' }, description: 'quit; the session stays resumable (runbook resume ID)' },
  { command: 'help', keys: [{ kind: 'char', char: '?' }], footer: { step: 'keys', running: 'keys', 'look-back': 'keys', over: 'keys' }, description: 'show or hide this list' },
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

/** "Enter run · s skip · …": the footer line, with the keys that work in `mode`. */
export function footerText(mode: FooterMode): string {
  return KEYMAP.flatMap((b) => (b.footer?.[mode] !== undefined ? [`${b.keys.map(keyLabel).join('/')} ${b.footer[mode]}`] : [])).join(' · ');
}
