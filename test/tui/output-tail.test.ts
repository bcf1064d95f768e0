import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutputTail } from '../../src/tui/output-tail.js';

const limits = { maxLines: 5, maxLineChars: 20 };

function expected(text: string): { lines: string[]; earlier: number } {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  const cut = all.map((l) => (l.length > limits.maxLineChars ? `${l.slice(0, limits.maxLineChars - 1)}…` : l));
  const lines = cut.slice(Math.max(0, cut.length - limits.maxLines));
  return { lines, earlier: all.length - lines.length };
}

describe('OutputTail', () => {
  it('keeps the last lines and counts the earlier ones', () => {
    const tail = new OutputTail(limits);
    tail.append('1\n2\n3\n4\n5\n6\n7\n');
    expect(tail.view()).toEqual({ lines: ['3', '4', '5', '6', '7'], earlier: 2 });
  });

  it('joins lines split across chunks and shows the unfinished last line', () => {
    const tail = new OutputTail(limits);
    tail.append('al');
    tail.append('pha\nbe');
    expect(tail.view()).toEqual({ lines: ['alpha', 'be'], earlier: 0 });
  });

  it('cuts long lines, shows what a terminal shows after \\r, and drops control characters', () => {
    const tail = new OutputTail(limits);
    tail.append(`${'x'.repeat(50)}\n10%\r50%\r100%\n\u0007bell\u001b\n`);
    expect(tail.view().lines).toEqual([`${'x'.repeat(19)}…`, '100%', 'bell']);
  });

  it('agrees with splitting the whole text, however the output is chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'bb', '\n', 'long line of text here', '\n\n'), { maxLength: 60 }), fc.array(fc.nat(30)), (parts, cuts) => {
        const text = parts.join('');
        const tail = new OutputTail(limits);
        let at = 0;
        for (const cut of cuts) {
          tail.append(text.slice(at, at + cut));
          at += cut;
        }
        tail.append(text.slice(at));
        expect(tail.view()).toEqual(expected(text));
      }),
    );
  });

  it('stays bounded when a step prints 100 MB, with or without newlines', () => {
    const tail = new OutputTail({ maxLines: 50, maxLineChars: 400 });
    const chunk = 'a line of flood output\n'.repeat(2900); // ~64 KiB, like a pipe read
    for (let i = 0; i < 1500; i++) tail.append(chunk);
    const view = tail.view();
    expect(view.lines.length).toBe(50);
    expect(view.earlier).toBe(1500 * 2900 - 50);
    const endless = new OutputTail({ maxLines: 50, maxLineChars: 400 });
    for (let i = 0; i < 200; i++) endless.append('y'.repeat(65536));
    expect(endless.view().lines).toEqual([`${'y'.repeat(399)}…`]);
  });
});
