// The contract every parser and diff follows: pure, total functions.
// Any input (random bytes, a truncated file, the wrong format) yields a ParseResult;
// nothing here throws, reads files or prints.

/** Facts are plain JSON so they can be journaled, exported and used in expressions.
 *  Integers that can exceed 2^53 (addresses, Unix-ns times) are decimal or hex strings. */
export type FactValue = null | boolean | number | string | FactValue[] | { [key: string]: FactValue };
export type Facts = { [name: string]: FactValue };

export interface ParseWarning {
  message: string;
  /** 1-based input line the warning is about, when there is one. */
  line?: number;
}

export type ParseErrorCode =
  /** Not this format at all (e.g. JSON handed to the gctrace parser). */
  | 'unrecognised-format'
  /** This format, but a version we deliberately refuse to mis-read (Go ≤1.5 gctrace, legacy text profiles). */
  | 'unsupported-format'
  /** Nothing to parse. */
  | 'empty'
  /** Recognised but broken beyond what warnings can describe. */
  | 'invalid';

export interface ParseError {
  code: ParseErrorCode;
  message: string;
  line?: number;
}

export interface ParseResult<F extends Facts = Facts> {
  /** Always present; partial when `error` is set or warnings were raised. */
  facts: F;
  warnings: ParseWarning[];
  error?: ParseError;
}

export type ParserInput = string | Uint8Array;

export interface Parser<F extends Facts = Facts> {
  /** Registry name used in runbooks (`parse: gctrace`) and on the CLI. */
  name: string;
  /** One line for `runbook parse --help` and docs. */
  summary: string;
  /** Facts worth showing first (TUI fact table, plain runner, notes). */
  keyFacts: string[];
  /** parse_options a runbook must give: `runbook validate` names each one missing, with
   *  what it is and an example to add. */
  requiredOptions?: Record<string, RequiredOption>;
  parse(input: ParserInput, options?: Record<string, unknown>): ParseResult<F>;
}

export interface RequiredOption {
  /** What the value is, e.g. "a regular expression with named groups". */
  what: string;
  /** A value to show in the fix, written as it would stand in YAML. */
  example: string;
}

export interface Differ<F extends Facts = Facts> {
  /** `runbook diff KIND …` and snapshot comparisons. */
  kind: string;
  summary: string;
  keyFacts: string[];
  diff(before: ParserInput, after: ParserInput, options?: Record<string, unknown>): ParseResult<F>;
}

/**
 * A parser fed its input in chunks, for inputs of any size (`runbook parse` reads files and
 * stdin this way): memory stays bounded by what the facts keep, not by the input. `write`
 * may be handed a buffer that is reused afterwards, so nothing may keep a reference to it.
 * The result of `end` is exactly what `parse` gives for the concatenated chunks.
 */
export interface ParseStream<F extends Facts = Facts> {
  write(chunk: Uint8Array): void;
  end(): ParseResult<F>;
}

export interface StreamingParser<F extends Facts = Facts> extends Parser<F> {
  stream(options?: Record<string, unknown>): ParseStream<F>;
  /** False when these options make the stream keep its whole input (a regex that may match
   *  across lines): callers then read it as a non-streaming parser's, with its limit. */
  streams?(options?: Record<string, unknown>): boolean;
}

/** Both snapshots of a diff fed in chunks (each side as ParseStream.write); `end` diffs them. */
export interface DiffStream<F extends Facts = Facts> {
  before: Pick<ParseStream, 'write'>;
  after: Pick<ParseStream, 'write'>;
  end(): ParseResult<F>;
}

/**
 * A diff that merges its two inputs as they come (maps): a reader of two files reads each time
 * from the side it waits for and ends a side when its file ends, so neither file is held whole.
 * Written in any other order (one side, then the other) it still gives the same result.
 */
export interface LockstepDiffStream<F extends Facts = Facts> extends DiffStream<F> {
  before: Pick<ParseStream, 'write'> & { end(): void };
  after: Pick<ParseStream, 'write'> & { end(): void };
  /** The side whose next input the merge needs, or null when it needs none. */
  waitingFor(): 'before' | 'after' | null;
}

export function isLockstep(stream: DiffStream): stream is LockstepDiffStream {
  return typeof (stream as Partial<LockstepDiffStream>).waitingFor === 'function';
}

export interface StreamingDiffer<F extends Facts = Facts> extends Differ<F> {
  stream(options?: Record<string, unknown>): DiffStream<F>;
}

export function isStreamingDiffer(differ: Differ): differ is StreamingDiffer {
  return typeof (differ as Partial<StreamingDiffer>).stream === 'function';
}

/** Whether the parser reads input given these options in bounded memory, chunk by chunk. */
export function isStreamingParser(parser: Parser, options?: Record<string, unknown>): parser is StreamingParser {
  const streaming = parser as Partial<StreamingParser>;
  return typeof streaming.stream === 'function' && streaming.streams?.(options) !== false;
}
