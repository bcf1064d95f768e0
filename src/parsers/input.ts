import type { ParserInput } from './types.js';

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Text view of a parser input; invalid UTF-8 becomes U+FFFD instead of throwing. */
export function asText(input: ParserInput): string {
  return typeof input === 'string' ? input : decoder.decode(input);
}
