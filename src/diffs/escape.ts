// `escape` diff: the escape reports of the same packages at two commits (`go build
// -gcflags=-m=2` in each): what started escaping in AFTER and what stopped, by file,
// kind and expression (line numbers move between commits). Both outputs stream.
import { changeFacts, escapeEntries, EscapeOutput, type EscapeEntries } from '../parsers/escape.js';
import { escapeChanges } from '../parsers/escape/compare.js';
import { siteRows } from '../parsers/escape/join.js';
import type { ParseResult, StreamingDiffer } from '../parsers/types.js';

function diffEscape(a: EscapeEntries, b: EscapeEntries, options?: Record<string, unknown>): ParseResult {
  const warnings = [
    ...a.result.warnings.map((w) => ({ message: `before: ${w.message}` })),
    ...b.result.warnings.map((w) => ({ message: `after: ${w.message}` })),
  ];
  if (a.result.error) return { facts: {}, warnings, error: { ...a.result.error, message: `before: ${a.result.error.message}` } };
  if (b.result.error) return { facts: {}, warnings, error: { ...b.result.error, message: `after: ${b.result.error.message}` } };
  const { started, stopped } = escapeChanges(a.entries, b.entries, siteRows(options?.sites).rows);
  return { facts: changeFacts(started, stopped), warnings };
}

export const escapeDiffer: StreamingDiffer = {
  kind: 'escape',
  summary: 'two go build -gcflags=-m=2 outputs (base and head commit): what started and stopped escaping to the heap, where and why',
  keyFacts: ['started_count', 'hot_started_count', 'started_text'],
  diff: (before, after, options) => diffEscape(escapeEntries(before), escapeEntries(after), options),
  stream(options) {
    const before = new EscapeOutput(true);
    const after = new EscapeOutput(true);
    return { before, after, end: () => diffEscape(before.end(), after.end(), options) };
  },
};
