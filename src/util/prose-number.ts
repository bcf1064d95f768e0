// A number as a sentence shows it. A negative number takes the minus sign (U+2212): a
// hyphen-minus "-1" in a conclusion is what a tired reader, and the live tests' placeholder
// check, take for a value that was never read. Text parsed back by a program (argv, PromQL,
// a conclusion's key numbers) keeps ASCII and does not come through here.

export const MINUS_SIGN = '\u2212';

/** -0.1 → "−0.1", 2 → "2". */
export function proseNumber(value: number): string {
  return value < 0 ? `${MINUS_SIGN}${String(-value)}` : String(value);
}

/** A change with its sign: 1.2 → "+1.2", -0.1 → "−0.1", 0 → "0". */
export function signedNumber(value: number): string {
  return value > 0 ? `+${String(value)}` : proseNumber(value);
}

// Plain decimal or exponent notation only: Number('') is 0 and Number('0x1f') is 31,
// neither of which a fact carried as text means.
const NUMERIC_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Text as a number, a minus sign (U+2212, as proseNumber writes it) read as one: "−0.1" →
 *  -0.1, " 2 " → 2; NaN for anything but a plain decimal ('', '0x1f', 'Infinity'). */
export function parseProseNumber(text: string): number {
  const plain = text.trim().replace(MINUS_SIGN, '-');
  return NUMERIC_TEXT.test(plain) ? Number(plain) : Number.NaN;
}
