// `regex`: named groups of a pattern become facts (numbers where they look like numbers).
// Options: pattern (required), flags (default "m"), all (every match into `matches`).
// A pattern that can only match within a line (regex-line-local.ts) is matched line by line,
// so the input streams (any size); any other needs the whole text.
import { parseWhole } from './chunk-lines.js';
import { asText } from './input.js';
import { matchesWithinLines } from './regex-line-local.js';
import { scalarFromText } from './scalar.js';
import { TextLines } from './text-lines.js';
import type { FactValue, Facts, ParseResult, ParseStream, RequiredOption, StreamingParser } from './types.js';

/** Lines longer than this are cut (with a warning): one line of a JSON body can be megabytes. */
const MAX_LINE_BYTES = 64 * 2 ** 20;

function groupsOf(match: RegExpExecArray): Facts {
  const facts: Facts = {};
  for (const [name, value] of Object.entries(match.groups ?? {})) facts[name] = value === undefined ? null : scalarFromText(value);
  return facts;
}

const PATTERN: RequiredOption = { what: 'a regular expression with named groups', example: String.raw`'VmRSS:\s+(?<rss_kb>\d+)'` };

type Compiled = { regex: RegExp; pattern: string; all: boolean; local: boolean } | { error: ParseResult };

function compile(options: Record<string, unknown>): Compiled {
  const { pattern, flags, all } = options;
  if (typeof pattern !== 'string' || pattern === '') {
    return { error: { facts: {}, warnings: [], error: { code: 'invalid', message: `regex parser needs parse_options.pattern (${PATTERN.what})` } } };
  }
  const base = typeof flags === 'string' ? flags.replace(/g/g, '') : 'm';
  try {
    return { regex: new RegExp(pattern, all === true ? `${base}g` : base), pattern, all: all === true, local: matchesWithinLines(pattern, base) };
  } catch (error) {
    return { error: { facts: {}, warnings: [], error: { code: 'invalid', message: `invalid regex pattern: ${(error as Error).message}` } } };
  }
}

/** Matches of the pattern in each text it is handed: the whole input, or each of its lines. */
class Matcher {
  readonly matches: FactValue[] = [];
  first: RegExpExecArray | null = null;

  constructor(private readonly compiled: { regex: RegExp; all: boolean }) {}

  text(text: string): void {
    const { regex, all } = this.compiled;
    if (!all) {
      this.first ??= regex.exec(text);
      return;
    }
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      this.matches.push(groupsOf(m));
      if (m[0] === '') regex.lastIndex += 1; // an empty match would loop forever
    }
  }

  result(pattern: string, warnings: ParseResult['warnings']): ParseResult {
    if (this.compiled.all) return { facts: { matched: this.matches.length > 0, count: this.matches.length, matches: this.matches }, warnings };
    if (!this.first) return { facts: { matched: false }, warnings: [...warnings, { message: `pattern /${pattern}/ matched nothing` }] };
    return { facts: { matched: true, ...groupsOf(this.first) }, warnings };
  }
}

/** The input line by line, for a line-local pattern. */
class RegexLineStream implements ParseStream {
  private readonly matcher: Matcher;
  private readonly lines: TextLines;
  private readonly warnings: ParseResult['warnings'] = [];

  constructor(private readonly compiled: { regex: RegExp; pattern: string; all: boolean }, skipBom: boolean) {
    this.matcher = new Matcher(compiled);
    this.lines = new TextLines(MAX_LINE_BYTES, skipBom, (line, number, cut) => {
      if (cut && this.warnings.length === 0) this.warnings.push({ message: `line longer than ${MAX_LINE_BYTES / 2 ** 20} MiB: matched up to there`, line: number });
      this.matcher.text(line);
    });
  }

  write(chunk: Uint8Array): void {
    // The first match is all a pattern without `all` reports: the rest need not be read.
    if (this.compiled.all || this.matcher.first === null) this.lines.write(chunk);
  }

  end(): ParseResult {
    if (this.compiled.all || this.matcher.first === null) this.lines.end();
    return this.matcher.result(this.compiled.pattern, this.warnings);
  }
}

/** A pattern that may match across lines: the chunks kept and matched as one text at the end. */
class RegexWholeStream implements ParseStream {
  private readonly chunks: Buffer[] = [];

  constructor(private readonly compiled: { regex: RegExp; pattern: string; all: boolean }) {}

  write(chunk: Uint8Array): void {
    this.chunks.push(Buffer.from(chunk));
  }

  end(): ParseResult {
    return matchWhole(this.compiled, Buffer.concat(this.chunks));
  }
}

function matchWhole(compiled: { regex: RegExp; pattern: string; all: boolean }, input: string | Uint8Array): ParseResult {
  const matcher = new Matcher(compiled);
  matcher.text(asText(input));
  return matcher.result(compiled.pattern, []);
}

/** An input stream that only reports the options' error. */
function failed(error: ParseResult): ParseStream {
  return { write: () => undefined, end: () => error };
}

export const regexParser: StreamingParser = {
  name: 'regex',
  summary: 'Named groups of parse_options.pattern become facts; all: true collects every match into matches and count.',
  keyFacts: [],
  requiredOptions: { pattern: PATTERN },
  parse(input, options = {}) {
    const compiled = compile(options);
    if ('error' in compiled) return compiled.error;
    if (!compiled.local) return matchWhole(compiled, input);
    return parseWhole(input, (skipBom) => new RegexLineStream(compiled, skipBom));
  },
  stream(options = {}) {
    const compiled = compile(options);
    if ('error' in compiled) return failed(compiled.error);
    return compiled.local ? new RegexLineStream(compiled, true) : new RegexWholeStream(compiled);
  },
  streams(options = {}) {
    const compiled = compile(options);
    return 'error' in compiled || compiled.local;
  },
};
