// /proc/PID/environ → the Go runtime's own settings as facts: GOMEMLIMIT (bytes, read with
// the runtime's parseByteCount syntax: 64MiB, 1GiB, 512000000), GOGC (a percent, or off),
// GODEBUG (a map: asyncpreemptoff=1 → { asyncpreemptoff: '1' }) and GOMAXPROCS.
// The environment also holds tokens and passwords: only the Go runtime variables become
// facts, and no other variable's value ever appears in a fact or a warning.
// This is the environment the process started with: debug.SetGCPercent or
// debug.SetMemoryLimit calls made by the code later are not in it.
// Read in chunks, any size, in bounded memory: only counts and the Go variables are kept.
import { ChunkLines, parseWhole } from './chunk-lines.js';
import type { FactValue, Facts, ParseResult, ParseStream, ParseWarning, ParserInput, StreamingParser } from './types.js';

/** The variables the Go runtime itself reads at start (runtime/mgcpacer.go, runtime1.go, proc.go). */
export const GO_RUNTIME_VARIABLES: readonly string[] = ['GOGC', 'GOMEMLIMIT', 'GODEBUG', 'GOMAXPROCS', 'GOTRACEBACK'];

const maxInt64 = 2n ** 63n - 1n;
const unitPowers: Record<string, number> = { K: 1, M: 2, G: 3, T: 4 };

/** Go's runtime atoi64: an optional '-', decimal digits, no overflow. */
function atoi64(text: string): bigint | undefined {
  if (!/^-?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value > maxInt64 || value < -maxInt64 - 1n ? undefined : value;
}

/** Go's runtime atoi32. */
function atoi32(text: string): number | undefined {
  const value = atoi64(text);
  return value === undefined || value > 2n ** 31n - 1n || value < -(2n ** 31n) ? undefined : Number(value);
}

/** Go's runtime.parseByteCount (Go 1.19 string.go): digits with an optional B, KiB, MiB, GiB
 *  or TiB suffix, never negative, never over MaxInt64. Undefined: the runtime refuses it. */
export function parseGoByteCount(text: string): number | undefined {
  const match = /^(.*?)(?:([KMGT])iB|B)?$/.exec(text);
  if (!match || match[1] === undefined || match[1] === '') return undefined;
  const count = atoi64(match[1]);
  if (count === undefined || count < 0n) return undefined;
  const bytes = count * 1024n ** BigInt(match[2] ? (unitPowers[match[2]] ?? 0) : 0);
  return bytes > maxInt64 ? undefined : Number(bytes);
}

/** GODEBUG as the runtime reads it: comma-separated key=value, a field without '=' ignored,
 *  a later key overriding an earlier one. */
function parseGodebug(value: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const field of value.split(',')) {
    const equals = field.indexOf('=');
    if (equals > 0) settings[field.slice(0, equals)] = field.slice(equals + 1);
  }
  return settings;
}

/** An environ entry is a few KiB at most (the kernel caps one at 128 KiB); a longer one is cut. */
const MAX_ENTRY_BYTES = 2 ** 20;
const NUL = 0;
const NEWLINE = 10;
const EQUALS = 0x3d;
const longestName = Math.max(...GO_RUNTIME_VARIABLES.map((name) => name.length));

/** Entries read one way (NUL- or newline-separated): how many, how many NAME=value, and the
 *  Go runtime variables, first occurrence winning as in runtime.gogetenv. */
class EntryTally {
  entries = 0;
  assignments = 0;
  readonly found = new Map<string, string>();
  readonly duplicates: string[] = [];
  cut = false;

  readonly add = (bytes: Buffer, start: number, end: number, cut: boolean): void => {
    if (end === start) return;
    this.entries++;
    const equals = bytes.indexOf(EQUALS, start);
    if (equals <= start || equals >= end) return;
    this.assignments++;
    if (equals - start > longestName) return;
    const name = bytes.toString('utf8', start, equals);
    if (!GO_RUNTIME_VARIABLES.includes(name)) return;
    if (this.found.has(name)) this.duplicates.push(name);
    else {
      this.found.set(name, bytes.toString('utf8', equals + 1, end));
      this.cut ||= cut;
    }
  };
}

/** Entries of an environ file: NUL-separated as the kernel writes it; a pasted copy run through
 *  `tr '\0' '\n'` (no NUL at all) is read line by line. Both readings are kept until the end
 *  says which it is (the newline one stops at the first NUL). */
class EnvironEntries {
  private sawNul = false;
  private readonly byNul = new EntryTally();
  private readonly byLine = new EntryTally();
  private readonly nulSplit: ChunkLines;
  private readonly lineSplit: ChunkLines;

  constructor(skipBom: boolean) {
    this.nulSplit = new ChunkLines(MAX_ENTRY_BYTES, skipBom, NUL);
    this.lineSplit = new ChunkLines(MAX_ENTRY_BYTES, skipBom, NEWLINE);
  }

  write(chunk: Uint8Array): void {
    this.sawNul ||= chunk.includes(NUL);
    this.nulSplit.write(chunk, this.byNul.add);
    if (!this.sawNul) this.lineSplit.write(chunk, this.byLine.add);
  }

  end(): EntryTally {
    if (this.sawNul) {
      this.nulSplit.end(this.byNul.add);
      return this.byNul;
    }
    this.lineSplit.end(this.byLine.add);
    return this.byLine;
  }
}

/** The part of an environ file that may be kept on disk: the Go runtime variables only, in the
 *  kernel's NUL-separated form (the bundle's `environ` file). */
export function goRuntimeEnviron(input: ParserInput): Uint8Array {
  const { found } = parseWhole(input, (skipBom) => new EnvironEntries(skipBom));
  return new TextEncoder().encode([...found].map(([name, value]) => `${name}=${value}\0`).join(''));
}

class EnvironStream implements ParseStream {
  private readonly entries: EnvironEntries;

  constructor(skipBom: boolean) {
    this.entries = new EnvironEntries(skipBom);
  }

  write(chunk: Uint8Array): void {
    this.entries.write(chunk);
  }

  end(): ParseResult {
    return environFacts(this.entries.end());
  }
}

export const procEnvironParser: StreamingParser = {
  name: 'proc-environ',
  summary: '/proc/PID/environ: GOMEMLIMIT (bytes), GOGC (or off), GODEBUG settings and GOMAXPROCS; other variables are never read out',
  keyFacts: ['gomemlimit_bytes', 'gogc', 'gogc_off', 'godebug', 'gomaxprocs'],
  parse: (input) => parseWhole(input, (skipBom) => new EnvironStream(skipBom)),
  stream: () => new EnvironStream(true),
};

function environFacts({ entries, assignments, found, duplicates, cut }: EntryTally): ParseResult {
  const warnings: ParseWarning[] = [];
  // An empty environment is a real one (env -i, and what a bundle keeps when no Go runtime
  // variable is set): the runtime's defaults.
  if (entries > 0 && assignments === 0) {
    return { facts: {}, warnings, error: { code: 'unrecognised-format', message: 'not an environ file: no NAME=value entry found' } };
  }
  if (assignments < entries) warnings.push({ message: `${entries - assignments} entries are not NAME=value; ignored` });
  if (cut) warnings.push({ message: `a Go runtime variable longer than ${MAX_ENTRY_BYTES / 2 ** 20} MiB: read up to there` });

  for (const name of duplicates) warnings.push({ message: `${name} is set more than once; the runtime reads the first` });
  const facts: Facts = { go_variables: Object.fromEntries(found) };

  const limit = found.get('GOMEMLIMIT');
  facts['gomemlimit_set'] = false;
  if (limit !== undefined && limit !== '' && limit !== 'off') {
    const bytes = parseGoByteCount(limit);
    if (bytes === undefined) {
      warnings.push({ message: `GOMEMLIMIT=${limit} is not a byte count the runtime accepts (e.g. 64MiB, 1GiB, 500000000): a Go ≥1.19 process refuses to start with it` });
    } else {
      facts['gomemlimit_set'] = true;
      facts['gomemlimit_bytes'] = bytes;
    }
  }

  // runtime.readGOGC: "off" or a negative number turns the GC off; anything unreadable is 100.
  const gogc = found.get('GOGC');
  facts['gogc_set'] = gogc !== undefined;
  const read = gogc === 'off' ? -1 : gogc === undefined ? 100 : atoi32(gogc);
  if (read === undefined) warnings.push({ message: `GOGC=${gogc ?? ''} is not a number; the runtime uses 100` });
  const percent = read ?? 100;
  facts['gogc_off'] = percent < 0;
  if (percent >= 0) facts['gogc'] = percent;

  const godebug: Record<string, FactValue> = parseGodebug(found.get('GODEBUG') ?? '');
  facts['godebug'] = godebug;
  // The runtime reads the value with atoi32: any non-zero number turns the setting on.
  const preemptOff = godebug['asyncpreemptoff'];
  facts['async_preempt_off'] = typeof preemptOff === 'string' && (atoi32(preemptOff) ?? 0) !== 0;

  const procs = found.get('GOMAXPROCS');
  if (procs !== undefined) {
    const value = atoi32(procs);
    if (value !== undefined && value > 0) facts['gomaxprocs'] = value;
    else warnings.push({ message: `GOMAXPROCS=${procs} is not a positive number; the runtime uses the CPU count` });
  }
  return { facts, warnings };
}
