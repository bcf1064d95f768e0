import type { ParserInput } from './types.js';

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Text view of a parser input; invalid UTF-8 becomes U+FFFD instead of throwing. */
export function asText(input: ParserInput): string {
  return typeof input === 'string' ? input : decoder.decode(input);
}

/** Byte view of a parser input. */
export function asBytes(input: ParserInput): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}
