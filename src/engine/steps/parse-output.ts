// Parsing a step's evidence file with a registry parser. The file is read bounded: a
// step that printed gigabytes must not pull them into memory (issue 3: RSS ≤ ~150 MB). A
// streaming parser is fed it in chunks (any size); the others get it whole, up to a limit.
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { getParser, parserNames } from '../../parsers/registry.js';
import { isStreamingParser, type Facts, type ParseResult } from '../../parsers/types.js';
import { readFileChunks } from '../../util/file-chunks.js';
import type { Scope } from '../../expr/index.js';
import { renderOptions } from '../../template/index.js';

/** Largest evidence handed to a parser; bigger output fails the parse with this named. */
export const MAX_PARSE_BYTES = 16 * 1024 * 1024;

export interface ParsedEvidence {
  facts: Facts;
  warnings: string[];
  /** Set when parsing failed: the step then fails with this reason. */
  error?: string;
}

/** `options` are the step's parse_options, their templates filled from `scope` (renderOptions). */
export function parseEvidence(path: string, parserName: string, options: Record<string, unknown> = {}, scope?: Scope): ParsedEvidence {
  const parser = getParser(parserName);
  if (!parser) return { facts: {}, warnings: [], error: `unknown parser '${parserName}' (known: ${parserNames().join(', ')})` };
  const rendered = scope ? renderOptions(options, scope) : { ok: true as const, options };
  if (!rendered.ok) return { facts: {}, warnings: [], error: rendered.error };
  const fd = openSync(path, 'r');
  let result: ParseResult;
  try {
    if (isStreamingParser(parser, rendered.options)) {
      const stream = parser.stream(rendered.options);
      readFileChunks(fd, (chunk) => stream.write(chunk));
      result = stream.end();
    } else {
      const size = fstatSync(fd).size;
      if (size > MAX_PARSE_BYTES) {
        return { facts: {}, warnings: [], error: `output is ${size} bytes, more than the ${MAX_PARSE_BYTES}-byte limit of the ${parserName} parser, which reads its input whole; the full output is in the artifact` };
      }
      result = parser.parse(readWhole(fd, size), rendered.options);
    }
  } finally {
    closeSync(fd);
  }
  const warnings = result.warnings.map((w) => (w.line !== undefined ? `line ${w.line}: ${w.message}` : w.message));
  if (result.error) {
    const where = result.error.line !== undefined ? ` (line ${result.error.line})` : '';
    return { facts: result.facts, warnings, error: `${parserName}: ${result.error.message}${where}` };
  }
  return { facts: result.facts, warnings };
}

function readWhole(fd: number, size: number): Uint8Array {
  const bytes = Buffer.alloc(size);
  let offset = 0;
  while (offset < size) {
    const n = readSync(fd, bytes, offset, size - offset, offset);
    if (n === 0) break;
    offset += n;
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, offset);
}
