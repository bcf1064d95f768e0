// Text values that look like numbers become numbers, so `when: p99 > 10` compares numerically.
// Integers beyond 2^53 stay strings (contract in types.ts).
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export function scalarFromText(text: string): string | number {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) return text;
  // `0022` (a umask, an id) is a code, not the number 22.
  if (/^[-+]?0\d/.test(trimmed)) return text;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return text;
  if (/^[-+]?\d+$/.test(trimmed) && !Number.isSafeInteger(value)) return trimmed;
  return value;
}
