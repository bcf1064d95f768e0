// `lines`: output as a list of lines, their count and the whole text.
import { asText } from './input.js';
import type { Parser } from './types.js';

export type LinesFacts = { lines: string[]; count: number; text: string };

export const linesParser: Parser<LinesFacts> = {
  name: 'lines',
  summary: 'Lines of text: facts lines (list), count, text. Option skip_empty: true drops blank lines.',
  keyFacts: ['count'],
  parse(input, options = {}) {
    const text = asText(input);
    let lines = text.split(/\r?\n/);
    // A final newline ends the last line; it does not start an empty one.
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    if (options.skip_empty === true) lines = lines.filter((line) => line.trim() !== '');
    return { facts: { lines, count: lines.length, text }, warnings: [] };
  },
};
