// `Key:<tab or spaces>value[ kB]` files (/proc/PID/status, /proc/PID/smaps_rollup) → facts
// named in snake_case, sizes suffixed `_kb`. Shared by the status and smaps_rollup parsers.
// Read line by line, any size, in bounded memory: a real file has a few dozen fields, so at
// most MAX_FIELDS distinct ones and MAX_VALUE_CHARS of each are kept.
import { BlankInput } from './blank-input.js';
import { CappedWarnings } from './capped-warnings.js';
import { parseWhole } from './chunk-lines.js';
import { TextLines } from './text-lines.js';
import type { FactValue, Facts, ParseError, ParseResult, ParseStream, StreamingParser } from './types.js';

const fieldLine = /^([A-Za-z_][A-Za-z0-9_()]*):[ \t]*(.*?)[ \t\r]*$/;
const sizeValue = /^(\d+) kB$/;
// No leading zeros: "0022" (Umask, octal) and "0000000000001000" (SigIgn, hex) are not decimals.
const integerValue = /^-?(?:0|[1-9]\d*)$/;
// Masks printed in hex or octal even when they happen to look decimal ("Cpus_allowed:\t3").
const textKeys = new Set(['Umask', 'SigPnd', 'ShdPnd', 'SigBlk', 'SigIgn', 'SigCgt', 'CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'Cpus_allowed', 'Cpus_allowed_list', 'Mems_allowed', 'Mems_allowed_list', 'untag_mask']);
const MAX_LINE_BYTES = 2 ** 20;
const MAX_FIELDS = 10_000;
const MAX_VALUE_CHARS = 64 * 1024;

// Names the generic camelCase split would mangle (THPeligible → th_peligible).
const specialNames: Record<string, string> = {
  THPeligible: 'thp_eligible',
  PPid: 'ppid',
  NStgid: 'ns_tgid',
  NSpid: 'ns_pid',
  NSpgid: 'ns_pgid',
  NSsid: 'ns_sid',
};

/** VmRSS → vm_rss, RssAnon → rss_anon, Shared_Clean → shared_clean, Cpus_allowed_list → cpus_allowed_list. */
export function snakeCase(key: string): string {
  const special = specialNames[key];
  if (special !== undefined) return special;
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[()]/g, '')
    .toLowerCase()
    .replace(/_+/g, '_');
}

/** What a `Key: value` file parser adds to the shared reading. */
export interface ProcFieldsFile {
  name: string;
  summary: string;
  keyFacts: string[];
  /** Lines that are not fields (smaps_rollup's `[rollup]` header). */
  skipLine?: (line: string) => boolean;
  /** The error for fields that are not this file's (or for blank input), if any. */
  verdict: (fields: Facts, blank: boolean) => ParseError | undefined;
}

class ProcFieldsStream implements ParseStream {
  private readonly fields: Facts = {};
  private readonly warnings = new CappedWarnings();
  private readonly blank = new BlankInput();
  private readonly lines: TextLines;
  private count = 0;
  private fieldsLeftOut = 0;

  constructor(private readonly file: ProcFieldsFile, skipBom: boolean) {
    this.lines = new TextLines(MAX_LINE_BYTES, skipBom, (line, number, cut) => {
      if (cut) this.warnings.add(`line longer than ${MAX_LINE_BYTES / 2 ** 20} MiB: read up to there`, number);
      this.line(line, number);
    });
  }

  write(chunk: Uint8Array): void {
    this.blank.feed(chunk);
    this.lines.write(chunk);
  }

  private line(line: string, number: number): void {
    if (line.trim() === '' || this.file.skipLine?.(line)) return;
    const m = fieldLine.exec(line);
    if (m === null) {
      this.warnings.add(`not a "Key: value" line: ${JSON.stringify(line.slice(0, 80))}`, number);
      return;
    }
    const key = m[1]!;
    let raw = m[2]!;
    const size = sizeValue.exec(raw);
    const name = size === null ? snakeCase(key) : `${snakeCase(key)}_kb`;
    if (name in this.fields) this.warnings.add(`${key} appears again; the later value is kept`, number);
    else if (this.count === MAX_FIELDS) {
      this.fieldsLeftOut++;
      return;
    } else this.count++;
    if (raw.length > MAX_VALUE_CHARS) {
      this.warnings.add(`value of ${key} longer than ${MAX_VALUE_CHARS / 1024} KiB: kept up to there`, number);
      raw = raw.slice(0, MAX_VALUE_CHARS);
    }
    this.fields[name] = size !== null ? scalar(size[1]!) : textKeys.has(key) ? raw : scalar(raw);
  }

  end(): ParseResult {
    this.lines.end();
    // `line` first, as these parsers wrote their warnings before they streamed: the JSON
    // `runbook parse` prints stays byte for byte what it was.
    const warnings = this.warnings.list().map(({ message, line }) => (line === undefined ? { message } : { line, message }));
    if (this.fieldsLeftOut > 0) warnings.push({ message: `more than ${MAX_FIELDS} distinct fields: ${this.fieldsLeftOut} lines with a new field after that were left out (is this ${this.file.name} input?)` });
    const error = this.file.verdict(this.fields, this.blank.isBlank());
    return error === undefined ? { facts: this.fields, warnings } : { facts: this.fields, warnings, error };
  }
}

/** A parser of one `Key: value` file kind, whole or in chunks. */
export function procFieldsParser(file: ProcFieldsFile): StreamingParser {
  return {
    name: file.name,
    summary: file.summary,
    keyFacts: file.keyFacts,
    parse: (input) => parseWhole(input, (skipBom) => new ProcFieldsStream(file, skipBom)),
    stream: () => new ProcFieldsStream(file, true),
  };
}

/** Integers stay numbers while exact; larger ones (and everything else) stay strings. */
function scalar(raw: string): FactValue {
  if (!integerValue.test(raw)) return raw;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : raw;
}
