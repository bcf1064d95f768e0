// Facts of the `exec_trace` collector: which trace format /debug/pprof/trace answered with.
// The trace itself is read by `go tool trace` (collectors/go-tool-trace.ts); this only says
// whether the file is one, and which toolchain can read it.
import type { Parser, ParseResult } from '../parsers/types.js';

/** `go 1.19 trace\0\0\0` (runtime/trace.go: a 16-byte header naming the format version). */
const HEADER = /^go (1\.\d+) trace\0*/;

function parseExecutionTrace(input: string | Uint8Array): ParseResult {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  if (bytes.length === 0) return { facts: {}, warnings: [], error: { code: 'empty', message: 'empty execution trace' } };
  const header = HEADER.exec(Buffer.from(bytes.subarray(0, 16)).toString('latin1'));
  if (!header) return { facts: {}, warnings: [], error: { code: 'unrecognised-format', message: 'no "go 1.N trace" header: not a Go execution trace' } };
  return { facts: { format: `go ${header[1]}`, bytes: bytes.length }, warnings: [] };
}

export const executionTraceParser: Parser = {
  name: 'execution-trace',
  summary: 'a Go execution trace (/debug/pprof/trace): its format version and size',
  keyFacts: ['format', 'bytes'],
  parse: parseExecutionTrace,
};
