import type { ParserInput } from './types.js';

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Text view of a parser input; invalid UTF-8 becomes U+FFFD instead of throwing. */
export function asText(input: ParserInput): string {
  return typeof input === 'string' ? input : decoder.decode(input);
}

const encoder = new TextEncoder();

/** Byte view of a parser input; text is encoded as UTF-8. */
export function inputBytes(input: ParserInput): Uint8Array {
  return typeof input === 'string' ? encoder.encode(input) : input;
}
