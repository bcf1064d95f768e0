// THE REDACTION SEAM. src/redact/ (branch `notes`) provides createRedactor(); until it is
// merged here, sessions get this pass-through that masks nothing. Every place that writes
// to disk already goes through it: run output (runProcess transform), command records,
// every journal record (redactValue), facts artifacts.
import type { TextTransform } from '../exec/types.js';
import type { Redactor } from '../redact/types.js';

export type SessionRedactor = Redactor & { redactValue<T>(value: T): T };

export function createSessionRedactor(secrets: readonly string[]): SessionRedactor {
  void secrets;
  const passThrough: TextTransform = { push: (chunk) => chunk, end: () => '' };
  return {
    addSecret: () => undefined,
    redactText: (text) => text,
    redactValue: (value) => value,
    stream: () => passThrough,
    counts: () => ({}),
  };
}
