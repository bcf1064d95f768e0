// The bundle's string-width fast path (scripts/narrow-text.mjs, scripts/bundle.mjs) answers
// `string.length` for text of these characters; this checks that the real string-width copies
// (Ink's 8.x, wrap-ansi's and cliui's 7.x) give exactly that for every character in the class:
// one column each, and a grapheme cluster of its own whatever stands beside it.
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
// wrap-ansi's own copy (7.x), beside Ink's
import stringWidth7 from '../../node_modules/wrap-ansi/node_modules/string-width/index.js';
// @ts-expect-error a build script, plain JavaScript
import { NARROW_TEXT } from '../../scripts/narrow-text.mjs';

const narrow = new RegExp((NARROW_TEXT as string).slice(1, -1));
const segmenter = new Intl.Segmenter();
const clusters = (text: string): number => [...segmenter.segment(text)].length;
const members: string[] = [];
for (let c = 0; c < 0x10000; c++) if (narrow.test(String.fromCharCode(c))) members.push(String.fromCharCode(c));

describe('the narrow-text class of the bundled string-width fast path', () => {
  it('holds printable ASCII and the TUI’s usual marks, and nothing emoji-capable', () => {
    expect(narrow.test('runbook · guided diagnosis … ❯ ─│█▏ ⠼ ✘ ✎ ○ ◉ ⊘ ⤷ “quoted” — → ×')).toBe(true);
    for (const text of ['⚠', '✔', '⏱', '\t', '\u00AD', '\u0301', 'e\u0301', '\u200B', '\u2028', '©', '❤', '中']) expect(narrow.test(text), text).toBe(false);
  });

  it('is one column per character in every string-width copy, each its own grapheme cluster', () => {
    expect(members.length).toBeGreaterThan(1000);
    const width7 = stringWidth7 as (text: string) => number;
    for (const c of members) {
      expect([stringWidth(c), width7(c)], c).toEqual([1, 1]);
      expect([clusters(`a${c}`), clusters(`${c}a`), clusters(`${c}${c}`)], c).toEqual([2, 2, 2]);
    }
  });

  it('measures a mixed string as its length in every copy', () => {
    const text = members.filter((_, i) => i % 7 === 0).join('');
    expect(stringWidth(text)).toBe(text.length);
    expect((stringWidth7 as (text: string) => number)(text)).toBe(text.length);
  });
});
