// Keys typed faster than stdin is read (or pasted) arrive as one input: "abc\r" is the text
// and then Enter, not a text ending in a line break. A single-line field's handler wrapped
// here sees each line's text, then Enter as its own key, then the rest, in order.
import type { KeyHandler } from './input-router.js';

export function withEnterTypedAhead(handler: KeyHandler): KeyHandler {
  const split: KeyHandler = (input, key) => {
    const lineEnd = key.return ? -1 : input.search(/[\r\n]/);
    if (lineEnd === -1) return handler(input, key);
    if (lineEnd > 0) handler(input.slice(0, lineEnd), key);
    handler('\r', { ...key, return: true });
    // A terminal's line break is \r, a paste's may be \r\n: one Enter either way.
    const rest = input.slice(input.startsWith('\r\n', lineEnd) ? lineEnd + 2 : lineEnd + 1);
    return rest === '' ? true : split(rest, key);
  };
  return split;
}
