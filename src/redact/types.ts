// Contract of redaction (redact/): masks secrets before anything reaches disk.
import type { TextTransform } from '../exec/types.js';

export interface Redactor {
  /** Register a secret value (a `secret` input); its encoded forms are masked too. */
  addSecret(value: string): void;
  /** Mask a whole text (journal fields, facts, notes). */
  redactText: (text: string) => string;
  /** Deep copy of a JSON value (facts, inputs, records) with every string and key masked. */
  redactValue<T>(value: T): T;
  /** A streaming masker for command output: catches secrets split across chunks. */
  stream(): TextTransform;
  /** A streaming masker for raw bytes (a file read, an HTTP body, collector evidence): the
   *  same rules on a latin1 view, nothing else changed, so binary evidence (a pprof
   *  profile, NUL-separated /proc/PID/environ) keeps its bytes unless a mask applies. */
  byteStream(): ByteTransform;
  /** byteStream() over one whole buffer. */
  redactBytes(bytes: Uint8Array): Buffer;
  /** How many values were masked so far, by rule name. */
  counts(): Record<string, number>;
}

export interface ByteTransform {
  push(chunk: Uint8Array): Buffer;
  end(): Buffer;
}
