// Text that string-width measures as one column per UTF-16 unit: printable ASCII and the
// non-ASCII characters the TUI draws most (·, …, —, arrows, box drawing, block elements,
// braille spinners, ❯ ✘ ✎ ○ ◉ ⊘ ⤷) and Latin letters. Each is a grapheme cluster on its own
// next to any other, not emoji-capable, and 1 column wide (ambiguous width read as narrow,
// string-width's default). The bundle gives both string-width copies (Ink's 8.3, wrap-ansi's
// 7.2) this fast path: otherwise the home screen's first `·` costs the segmenter and the
// \p{RGI_Emoji} regex's compilation (~40 ms CPU, measured). test/tui/narrow-text.test.ts
// checks every character here against both copies' own answer, so the class cannot drift.
export const NARROW_TEXT_CLASS =
  '\\u0020-\\u007E\\u00A0-\\u00A8\\u00AA-\\u00AC\\u00AF-\\u02FF\\u2010-\\u2027\\u2030-\\u203B' +
  '\\u2190-\\u2193\\u219A-\\u21A8\\u21AB-\\u21FF\\u2290-\\u22FF\\u2500-\\u25A9\\u25AC-\\u25B5\\u25B7-\\u25BF' +
  '\\u25C1-\\u25FA\\u2800-\\u28FF\\u2900-\\u2933\\u2936-\\u297F\\u270E\\u2718\\u276F';

export const NARROW_TEXT = `/^[${NARROW_TEXT_CLASS}]*$/`;
