// Warnings of a streamed parse: about the input, not a copy of it, so a file of millions of
// bad lines keeps the first ones and counts the rest.
import type { ParseWarning } from './types.js';

const MAX_WARNINGS = 50;

export class CappedWarnings {
  private readonly kept: ParseWarning[] = [];
  private dropped = 0;

  add(message: string, line?: number): void {
    if (this.kept.length < MAX_WARNINGS) this.kept.push(line === undefined ? { message } : { message, line });
    else this.dropped++;
  }

  list(): ParseWarning[] {
    return this.dropped > 0 ? [...this.kept, { message: `${this.dropped} more warnings not shown (first ${MAX_WARNINGS} kept)` }] : [...this.kept];
  }
}
