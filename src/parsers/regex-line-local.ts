// Whether a regular expression can only match within one line, so that matching it line by
// line finds what matching the whole text finds (the regex parser then streams its input).
// Conservative: anything that might match a `\n`, or an anchor that means the start or end
// of the whole text, says no. `\r`, `^`/`$` under the m flag, `\b` and lookarounds of
// line-local parts match the same at a line's edge as beside its `\n`.

/** Escapes that can match `\n` or spell one (`\x0a`, `\u000a`, `\cJ`, octal `\12`). */
const NEWLINE_ESCAPES = /[sWDnpPxuc0-9]/;

export function matchesWithinLines(pattern: string, flags: string): boolean {
  // s: `.` matches \n; y: the match must start where the last ended; v: class set operations.
  if (/[syv]/.test(flags)) return false;
  // Without m, ^ and $ mean the whole text's start and end.
  if (!flags.includes('m') && /[$^]/.test(pattern)) return false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\n') return false;
    if (c === '\\') {
      const escaped = pattern[i + 1] ?? '';
      if (NEWLINE_ESCAPES.test(escaped)) return false;
      i++;
      // A range starting at an escape (`[\t-\r]`) may span \n.
      if (inClass && pattern[i + 1] === '-' && pattern[i + 2] !== ']') return false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      // A range from a character at or below \n.
      else if (c.charCodeAt(0) <= 10 && pattern[i + 1] === '-' && pattern[i + 2] !== ']') return false;
      continue;
    }
    if (c === '[') {
      // A negated class matches \n unless it names it, which is rare enough to refuse.
      if (pattern[i + 1] === '^') return false;
      inClass = true;
    }
  }
  return true;
}
