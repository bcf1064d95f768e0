// Editing text from key presses (fields and the note editor): typing and pastes append,
// Backspace removes the last character. Pure, so forms share it and tests drive it.
import type { Key } from 'ink';

export interface EditResult {
  value: string;
  /** The key was an edit (otherwise the form may treat it as a command). */
  handled: boolean;
}

export function editText(value: string, input: string, key: Key, multiline: boolean): EditResult {
  if (key.backspace || key.delete) return { value: [...value].slice(0, -1).join(''), handled: true };
  if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) {
    return { value, handled: false };
  }
  if (key.return) return multiline ? { value: `${value}\n`, handled: true } : { value, handled: false };
  if (input === '') return { value, handled: false };
  // Keys typed faster than stdin is read arrive as one input ("\x7f\x7f1s"), and a paste
  // too: apply them one by one. Terminals send \r for line breaks.
  let chars = [...value];
  for (const char of input.replace(/\r\n?/g, '\n')) {
    if (char === '\u007f' || char === '\b') chars = chars.slice(0, -1);
    else if (char === '\n') chars.push(multiline ? '\n' : ' ');
    else if (char >= ' ') chars.push(char);
  }
  return { value: chars.join(''), handled: true };
}
