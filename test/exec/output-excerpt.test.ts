// The streaming excerpt must equal what a whole-text reference computes, however the
// text is cut into chunks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUT_MARK, ExcerptBuilder, HEAD_LINES, MAX_LINE_CHARS, TAIL_LINES } from '../../src/exec/output-excerpt.js';

function reference(text: string) {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let cut = false;
  const capped = lines.map((line) => {
    const ending = line.endsWith('\n') ? '\n' : '';
    const body = ending ? line.slice(0, -1) : line;
    if (body.length <= MAX_LINE_CHARS) return line;
    cut = true;
    return body.slice(0, MAX_LINE_CHARS) + CUT_MARK + ending;
  });
  const rest = capped.slice(HEAD_LINES);
  return {
    head: capped.slice(0, HEAD_LINES).join(''),
    tail: rest.slice(-TAIL_LINES).join(''),
    total_bytes: Buffer.byteLength(text),
    total_lines: lines.length,
    truncated: cut || rest.length > TAIL_LINES,
  };
}

/** Text made of lines of random lengths, some longer than MAX_LINE_CHARS. */
const textArbitrary = fc
  .array(
    fc.record({
      length: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: MAX_LINE_CHARS - 2, max: MAX_LINE_CHARS + 3 })),
      char: fc.constantFrom('a', 'é', '✓'),
      newline: fc.boolean(),
    }),
    { maxLength: 3 * (HEAD_LINES + TAIL_LINES), size: 'max' },
  )
  .map((parts) => parts.map((part) => part.char.repeat(part.length) + (part.newline ? '\n' : '')).join(''));

describe('ExcerptBuilder', () => {
  it('matches the whole-text reference for any chunking', () => {
    fc.assert(
      fc.property(textArbitrary, fc.array(fc.nat(), { maxLength: 20, size: 'max' }), (text, cuts) => {
        const builder = new ExcerptBuilder();
        const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const point of [...points, text.length]) {
          builder.push(text.slice(from, point));
          from = point;
        }
        expect(builder.result(Buffer.byteLength(text))).toEqual(reference(text));
      }),
      // Shrinking texts this large takes minutes; the failing case is reported unshrunk.
      { numRuns: 300, endOnFailure: true },
    );
  });

  it('leaves the tail empty when the head holds everything', () => {
    const builder = new ExcerptBuilder();
    builder.push('a\nb');
    expect(builder.result(3)).toEqual({ head: 'a\nb', tail: '', total_bytes: 3, total_lines: 2, truncated: false });
  });
});
