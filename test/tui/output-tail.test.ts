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

describe('a progress bar (issue 16)', () => {
  it('shows its last state while the line is unfinished and once it ends, past the line cut', () => {
    const tail = new OutputTail({ maxLines: 5, maxLineChars: 400 });
    const frames = Array.from({ length: 101 }, (_, i) => `progress ${i}%`);
    tail.append(`start\n${frames.slice(0, 60).join('\r')}`); // 600+ characters, no newline yet
    expect(tail.view().lines).toEqual(['start', 'progress 59%']);
    tail.append(`\r${frames.slice(60).join('\r')}`);
    expect(tail.view().lines).toEqual(['start', 'progress 100%']);
    tail.append('\rdone\u001b[K\n');
    expect(tail.view()).toEqual({ lines: ['start', 'done'], earlier: 0 });
  });

  it('applies backspace and erase-line sequences, even split across chunks', () => {
    const tail = new OutputTail(limits);
    tail.append('50%\b\b\b75%\n');
    tail.append('long text\r\u001b');
    tail.append('[2Kshort\n');
    tail.append('abcdef\b\b\b\u001b[0Kxy\n\u001b[1mbold\u001b[0m\n');
    expect(tail.view().lines).toEqual(['75%', 'short', 'abcxy', 'bold']);
  });

  it('a bar redrawn a million times stays one bounded line', () => {
    const tail = new OutputTail({ maxLines: 50, maxLineChars: 400 });
    for (let i = 0; i < 100; i++) tail.append(`\r${'#'.repeat(500)} ${i}%`.repeat(100));
    expect(tail.view().lines).toEqual([`${'#'.repeat(399)}…`]);
  });
});
