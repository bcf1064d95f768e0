// Every parser, loaded at once, for code that looks parsers up synchronously (the engine's
// `parse:` steps, the validator, fact rows). The list and its order live in load-parser.ts.
import type { Parser } from './types.js';
import { loadParser, parserNames } from './load-parser.js';

const parsers = (await Promise.all(parserNames().map(loadParser))) as Parser[];

export function getParser(name: string): Parser | undefined {
  return parsers.find((p) => p.name === name);
}

export { parserNames };
