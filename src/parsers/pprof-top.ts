// `pprof-top`: the text of `go tool pprof -top` → rows in base units (bytes, ns, count).
// pprof scales memory by powers of 1024 with decimal-looking names (kB, MB: internal/measurement
// memoryUnits), and prints time as ns/us/ms/s/mins/hrs/days; scaled values carry 2 decimals,
// so rows read from scaled output are marked approximate. `-unit=B` / `-unit=ns` print integers.
import { BlankInput } from './blank-input.js';
import { CappedWarnings } from './capped-warnings.js';
import { parseWhole } from './chunk-lines.js';
import { TextLines, withoutCr } from './text-lines.js';
import type { Facts, FactValue, ParseResult, ParseStream, StreamingParser } from './types.js';

type BaseUnit = 'bytes' | 'ns' | 'count';

const UNITS: Record<string, { base: BaseUnit; factor: number }> = {
  B: { base: 'bytes', factor: 1 },
  kB: { base: 'bytes', factor: 1024 },
  MB: { base: 'bytes', factor: 1024 ** 2 },
  GB: { base: 'bytes', factor: 1024 ** 3 },
  TB: { base: 'bytes', factor: 1024 ** 4 },
  PB: { base: 'bytes', factor: 1024 ** 5 },
  ns: { base: 'ns', factor: 1 },
  us: { base: 'ns', factor: 1e3 },
  µs: { base: 'ns', factor: 1e3 },
  ms: { base: 'ns', factor: 1e6 },
  s: { base: 'ns', factor: 1e9 },
  mins: { base: 'ns', factor: 60e9 },
  hrs: { base: 'ns', factor: 3600e9 },
  days: { base: 'ns', factor: 86400e9 },
  wks: { base: 'ns', factor: 604800e9 },
  yrs: { base: 'ns', factor: 31556952e9 },
};

const VALUE = /^(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)([A-Za-zµ]*)$/;
const ROW = /^\s*(\S+)\s+(\S+)%\s+(\S+)%\s+(\S+)\s+(\S+)%\s+(.+?)\s*$/;
const SHOWING = /^Showing nodes accounting for (\S+), (\S+)% of (\S+) total/;
const DROPPED = /^Dropped (\d{1,19}) nodes? \(cum <= (\S+)\)/;
/** A -top row is short; a longer line is read up to here. */
const MAX_LINE_BYTES = 2 ** 20;
const HEADER = /^\s*flat\s+flat%\s+sum%\s+cum\s+cum%\s*$/;

interface Quantity {
  value: number;
  unit: BaseUnit | null;
  scaled: boolean;
}

/** "512.14kB" → 524431 bytes; plain integers have no unit of their own. */
export function parseQuantity(text: string): Quantity | null {
  const m = VALUE.exec(text);
  if (!m) return null;
  const number = Number(m[1]);
  if (!Number.isFinite(number)) return null;
  if (m[2] === '') return { value: number, unit: null, scaled: false };
  const unit = UNITS[m[2]!];
  if (!unit) return null;
  return { value: Math.round(number * unit.factor), unit: unit.base, scaled: unit.factor !== 1 || !Number.isInteger(number) };
}

/** The text read line by line out of chunks: what is kept is the header and the rows. */
class PprofTopStream implements ParseStream {
  private readonly lines: TextLines;
  private readonly blank = new BlankInput();
  private readonly warnings = new CappedWarnings();
  private readonly header: Facts = {};
  private readonly rows: { [key: string]: FactValue }[] = [];
  private unit: BaseUnit | null = null;
  private approximate = false;
  private sawTable = false;

  constructor(skipBom: boolean) {
    this.lines = new TextLines(MAX_LINE_BYTES, skipBom, (line, number, _cut, ended) => this.line(withoutCr(line, ended), number));
  }

  write(chunk: Uint8Array): void {
    this.blank.feed(chunk);
    this.lines.write(chunk);
  }

  private noteUnit(q: Quantity): void {
    if (q.unit) this.unit ??= q.unit;
    this.approximate ||= q.scaled;
  }

  private line(line: string, lineNo: number): void {
    const { header } = this;
    if (line.trim() === '') return;
    if (!this.sawTable) {
      const field = /^(File|Build ID|Type|Time|Duration): (.*)$/.exec(line);
      if (field) {
        header[field[1]!.toLowerCase().replace(' ', '_')] = field[2]!.trim();
        return;
      }
      const showing = SHOWING.exec(line);
      if (showing) {
        const shown = parseQuantity(showing[1]!);
        const total = parseQuantity(showing[3]!);
        if (shown) header.shown_total = shown.value;
        if (total) {
          header.total = total.value;
          this.noteUnit(total);
        }
        return;
      }
      const dropped = DROPPED.exec(line);
      if (dropped) {
        header.dropped_nodes = Number(dropped[1]);
        return;
      }
      if (HEADER.test(line)) this.sawTable = true;
      return; // "Main binary filename not available." and other notes
    }
    const m = ROW.exec(line);
    const flat = m && parseQuantity(m[1]!);
    const cum = m && parseQuantity(m[4]!);
    const percents = m ? [m[2]!, m[3]!, m[5]!].map(Number) : [];
    if (!m || !flat || !cum || !percents.every(Number.isFinite)) {
      this.warnings.add(`not a -top row: ${JSON.stringify(line.slice(0, 80))}`, lineNo);
      return;
    }
    this.noteUnit(flat);
    this.noteUnit(cum);
    const inline = / \((partial-inline|inline)\)$/.exec(m[6]!);
    this.rows.push({
      flat: flat.value,
      flat_pct: percents[0]!,
      sum_pct: percents[1]!,
      cum: cum.value,
      cum_pct: percents[2]!,
      name: inline ? m[6]!.slice(0, inline.index) : m[6]!,
      inline: inline ? inline[1]! : '',
    });
  }

  end(): ParseResult {
    this.lines.end();
    const { header, rows } = this;
    const warnings = this.warnings.list();
    if (!this.sawTable) {
      return {
        facts: header,
        warnings,
        error: this.blank.isBlank()
          ? { code: 'empty', message: 'empty input' }
          : { code: 'unrecognised-format', message: 'no "flat  flat%  sum%  cum  cum%" table: not `go tool pprof -top` output' },
      };
    }
    const facts: Facts = { ...header, type: header.type ?? null, unit: this.unit ?? 'count', approximate: this.approximate, rows };
    return { facts, warnings };
  }
}

export const pprofTopParser: StreamingParser = {
  name: 'pprof-top',
  summary: 'text of `go tool pprof -top`: rows with flat, flat%, sum%, cum, cum% in base units (bytes, ns, count)',
  keyFacts: ['type', 'total', 'unit', 'rows'],
  parse: (input) => parseWhole(input, (skipBom) => new PprofTopStream(skipBom)),
  stream: () => new PprofTopStream(true),
};
