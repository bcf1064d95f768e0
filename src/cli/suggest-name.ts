// "unknown parser 'gctrce'" → did you mean gctrace? (style.md practice 8), with the
// validator's own notion of a plausible typo (runbook/did-you-mean.ts).
import { UserError } from '../errors.js';
import { didYouMean } from '../runbook/did-you-mean.js';

export function unknownName(what: string, name: string, known: readonly string[]): UserError {
  const close = didYouMean(name, known);
  const hint = close ? `did you mean ${close}? known: ${known.join(', ')}` : `known: ${known.join(', ')}`;
  return new UserError(`unknown ${what} '${name}'`, { hint });
}
