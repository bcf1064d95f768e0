// "unknown parser 'gctrce'" → did you mean gctrace? (style.md practice 8).
import { UserError } from '../errors.js';

export function unknownName(what: string, name: string, known: readonly string[]): UserError {
  const close = known.find((k) => distance(k, name) <= 2);
  const hint = close ? `did you mean ${close}? known: ${known.join(', ')}` : `known: ${known.join(', ')}`;
  return new UserError(`unknown ${what} '${name}'`, { hint });
}

function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
