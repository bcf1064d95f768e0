// An alert's name comes from a payload anyone may write: printed, it must not forge a line nor
// reach the terminal as a control (C0, DEL, C1 such as CSI 0x9b, the Unicode line separators).
import { describe, expect, it } from 'vitest';
import { alertName } from '../../src/alerts/describe-alert.js';
import type { Alert } from '../../src/alerts/payload.js';

const named = (name: string): Alert => ({ name }) as Alert;

describe('alertName', () => {
  it('prints a plain name as it is, and any name holding a control quoted with every control escaped', () => {
    expect(alertName(named('GoMemoryGrowth'))).toBe('GoMemoryGrowth');
    expect(alertName(named('Gö Memory · Growth'))).toBe('Gö Memory · Growth');
    const cases: [string, string][] = [
      ['a\nerror: forged', '"a\\nerror: forged"'],
      ['a\u001b[2Jb', '"a\\u001b[2Jb"'],
      ['a\u009b2Jb', '"a\\u009b2Jb"'],
      ['a\u0085b', '"a\\u0085b"'],
      ['a\u007fb', '"a\\u007fb"'],
      ['a\u2028b', '"a\\u2028b"'],
    ];
    for (const [name, printed] of cases) {
      const out = alertName(named(name));
      expect(out).toBe(printed);
      expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    }
  });
});
