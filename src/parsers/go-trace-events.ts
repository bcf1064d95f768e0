// `go-trace-events`: the event dump `go tool trace -d TRACE` prints for an execution trace
// (the Go 1.5–1.21 trace format) → the stop-the-world pauses of the trace window, and how
// many goroutines were inside a syscall or cgo call as each began. A goroutine entering a
// cgo call or syscall emits GoSysCall; if the call outlasts sysmon's 20 µs its P is
// retaken (GoSysBlock) and GoSysExit marks its return; a quick call ends at that
// goroutine's next event. Lines are read one at a time (TraceEventsReader) out of chunks, so
// the collector and `runbook parse` feed it the tool's output as it streams: a busy 5 s trace
// dumps to hundreds of megabytes.
import { parseWhole } from './chunk-lines.js';
import { TextLines } from './text-lines.js';
import type { Facts, ParseResult, ParseStream, ParseWarning, StreamingParser } from './types.js';

/** `872339 GCSTWStart p=1 g=0 off=44380 kindid=1 kind=sweep termination` */
const EVENT_LINE = /^(\d+) ([A-Z][A-Za-z]*) p=(-?\d+) g=(\d+) off=\d+(.*)$/;
const TOP = 5;
/** An event line is under 200 bytes; a longer one is read up to here (and is no event). */
const MAX_LINE_BYTES = 2 ** 20;

interface Pause {
  startNs: number;
  ns: number;
  kind: string;
  inSyscalls: number;
}

interface OpenCall {
  startNs: number;
  blocked: boolean;
}

const ms = (ns: number): number => Math.round(ns / 1e4) / 100;

/** The arguments after `off=`: `g=6 seq=2 ts=0` (this `g=` is the event's goroutine argument). */
function argument(rest: string, name: string): string | undefined {
  if (name === 'kind') return /\bkind=(.*)$/.exec(rest)?.[1];
  return new RegExp(`\\b${name}=(\\d+)`).exec(rest)?.[1];
}

class TraceEventsReader {
  private lineNo = 0;
  private events = 0;
  private otherLines = 0;
  private firstOther: number | undefined;
  private firstNs: number | undefined;
  private lastNs = 0;
  private readonly open = new Map<number, OpenCall>();
  private readonly pauses: Pause[] = [];
  private stwStart: { ns: number; kind: string; inSyscalls: number } | undefined;
  private calls = 0;
  private callMaxNs = 0;
  private callTotalNs = 0;

  line(text: string): void {
    this.lineNo++;
    const match = EVENT_LINE.exec(text.trimEnd());
    if (!match) {
      if (text.trim() !== '') {
        this.otherLines++;
        this.firstOther ??= this.lineNo;
      }
      return;
    }
    this.events++;
    const type = match[2]!;
    // A CPU profile sample names the goroutine the signal hit, which may be inside C: it
    // says nothing about a call having returned (and its time is not ordered).
    if (type === 'CPUSample') return;
    const ns = Number(match[1]);
    const g = Number(match[4]);
    const rest = match[5]!;
    this.firstNs ??= ns;
    this.lastNs = Math.max(this.lastNs, ns);
    switch (type) {
      case 'GoSysCall':
        this.open.set(g, { startNs: ns, blocked: false });
        return;
      case 'GoInSyscall': {
        // In a syscall when the trace started.
        const target = Number(argument(rest, 'g') ?? g);
        this.open.set(target, { startNs: this.firstNs, blocked: true });
        return;
      }
      case 'GoSysBlock': {
        const call = this.open.get(g);
        if (call) call.blocked = true;
        return;
      }
      case 'GoSysExit':
        this.close(Number(argument(rest, 'g') ?? g), ns);
        return;
      case 'GCSTWStart':
        this.stwStart = { ns, kind: argument(rest, 'kind') ?? 'stop-the-world', inSyscalls: this.open.size };
        return;
      case 'GCSTWDone':
        if (this.stwStart) this.pauses.push({ startNs: this.stwStart.ns, ns: ns - this.stwStart.ns, kind: this.stwStart.kind, inSyscalls: this.stwStart.inSyscalls });
        this.stwStart = undefined;
        return;
      default: {
        // The goroutine runs again: a call that never blocked has returned.
        const call = g === 0 ? undefined : this.open.get(g);
        if (call && !call.blocked) this.close(g, ns);
      }
    }
  }

  private close(g: number, ns: number): void {
    const call = this.open.get(g);
    if (!call) return;
    this.open.delete(g);
    const took = Math.max(ns - call.startNs, 0);
    this.calls++;
    this.callTotalNs += took;
    this.callMaxNs = Math.max(this.callMaxNs, took);
  }

  result(): ParseResult {
    const warnings: ParseWarning[] = [];
    if (this.events === 0) {
      const code = this.lineNo === 0 || this.otherLines === 0 ? 'empty' : 'unrecognised-format';
      return { facts: {}, warnings, error: { code, message: code === 'empty' ? 'empty input' : 'no "TS Event p=P g=G off=N" line: not the output of go tool trace -d for a Go ≤1.21 trace (Go 1.22 changed the trace format and its dump)' } };
    }
    if (this.otherLines > 0) warnings.push({ message: `${this.otherLines} line(s) are not trace events, first at line ${this.firstOther}`, line: this.firstOther! });
    const windowNs = this.lastNs - (this.firstNs ?? 0);
    // Calls still open at the end lasted at least until then.
    let callTotalNs = this.callTotalNs;
    let callMaxNs = this.callMaxNs;
    for (const call of this.open.values()) {
      callTotalNs += this.lastNs - call.startNs;
      callMaxNs = Math.max(callMaxNs, this.lastNs - call.startNs);
    }
    const sorted = [...this.pauses].sort((a, b) => b.ns - a.ns);
    const during = this.pauses.filter((p) => p.inSyscalls > 0);
    const clear = this.pauses.filter((p) => p.inSyscalls === 0);
    const longest = (list: Pause[]): number => ms(list.reduce((max, p) => Math.max(max, p.ns), 0));
    const ascending = this.pauses.map((p) => p.ns).sort((a, b) => a - b);
    const facts: Facts = {
      window_ms: ms(windowNs),
      events: this.events,
      stw_count: this.pauses.length,
      stw_max_ms: longest(this.pauses),
      stw_max_kind: sorted[0]?.kind ?? null,
      stw_p50_ms: ascending.length > 0 ? ms(ascending[Math.ceil(ascending.length / 2) - 1]!) : 0,
      stw_top: sorted.slice(0, TOP).map((p) => ({ ms: ms(p.ns), kind: p.kind, at_ms: ms(p.startNs - (this.firstNs ?? 0)), in_syscalls: p.inSyscalls })),
      syscalls: this.calls + this.open.size,
      syscall_max_ms: ms(callMaxNs),
      syscall_total_ms: ms(callTotalNs),
      in_syscall_avg: windowNs > 0 ? Math.round((callTotalNs / windowNs) * 100) / 100 : 0,
      stw_in_syscall_count: during.length,
      stw_in_syscall_max_ms: longest(during),
      stw_clear_count: clear.length,
      stw_clear_max_ms: longest(clear),
    };
    facts['summary'] =
      this.pauses.length === 0
        ? `no stop-the-world pause in the ${facts['window_ms']} ms traced`
        : `${this.pauses.length} stop-the-world pauses in the ${facts['window_ms']} ms traced, the longest ${facts['stw_max_ms']} ms (${facts['stw_max_kind']}); ` +
          `${during.length} began while goroutines were inside syscalls or cgo calls${during.length > 0 ? ` (the longest of those ${facts['stw_in_syscall_max_ms']} ms)` : ''}, ` +
          `${clear.length} while none was${clear.length > 0 ? ` (the longest ${facts['stw_clear_max_ms']} ms)` : ''}; on average ${facts['in_syscall_avg']} goroutines were inside such calls`;
    return { facts, warnings };
  }
}

class TraceEventsStream implements ParseStream {
  private readonly reader = new TraceEventsReader();
  private readonly lines: TextLines;

  constructor(skipBom: boolean) {
    this.lines = new TextLines(MAX_LINE_BYTES, skipBom, (line) => this.reader.line(line));
  }

  write(chunk: Uint8Array): void {
    this.lines.write(chunk);
  }

  end(): ParseResult {
    this.lines.end();
    return this.reader.result();
  }
}

export const goTraceEventsParser: StreamingParser = {
  name: 'go-trace-events',
  summary: 'go tool trace -d output (Go ≤1.21 traces): stop-the-world pauses and the goroutines inside syscalls or cgo calls as each began',
  keyFacts: ['window_ms', 'stw_count', 'stw_max_ms', 'stw_in_syscall_count', 'stw_in_syscall_max_ms', 'in_syscall_avg'],
  parse: (input) => parseWhole(input, (skipBom) => new TraceEventsStream(skipBom)),
  stream: () => new TraceEventsStream(true),
};
