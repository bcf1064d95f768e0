// Contract of redaction (redact/): masks secrets before anything reaches disk.
import type { TextTransform } from '../exec/types.js';

export interface Redactor {
  /** Register a secret value (a `secret` input); its encoded forms are masked too. */
  addSecret(value: string): void;
  /** Mask a whole text (journal fields, facts, notes). */
  redactText(text: string): string;
  /** Deep copy of a JSON value (facts, inputs, records) with every string and key masked. */
  redactValue<T>(value: T): T;
  /** A streaming masker for command output: catches secrets split across chunks. */
  stream(): TextTransform;
  /** How many values were masked so far, by rule name. */
  counts(): Record<string, number>;
}
