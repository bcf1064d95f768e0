// The `host_cpu` evidence (collectors/host-cpu.ts: two samples of /proc/stat, /proc/loadavg
// and the process's cgroup cpu.stat) → whether the host or the cgroup kept the process off
// the CPU during the window: steal, busy share, runnable threads, CFS throttling. Pure and total;
// read line by line (any size, bounded memory).
import { BlankInput } from './blank-input.js';
import { parseWhole } from './chunk-lines.js';
import { TextLines } from './text-lines.js';
import type { Facts, ParseResult, ParseStream, ParseWarning, StreamingParser } from './types.js';

interface Sample {
  atMs: number;
  sections: Map<string, string>;
}

/** A line longer than this is not /proc/stat, loadavg or cpu.stat (a cpu line is ~100 bytes). */
const MAX_LINE_BYTES = 64 * 1024;
/** /proc/stat on 8,192 CPUs is about 1 MiB; more in one section is not host_cpu evidence. */
const MAX_SECTION_CHARS = 4 * 2 ** 20;
/** The sections the facts read (hostCpuFacts): the others are skipped, so however many
 *  there are, at most these are kept, each at most MAX_SECTION_CHARS, in the head and in
 *  the first and latest samples. `cgroup` is a header's value, not a section's text. */
const READ_SECTIONS = new Set(['stat', 'loadavg', 'cpu.stat', 'cpu.max', 'cfs_quota_us', 'cfs_period_us']);

/**
 * `== name path` starts a section; the lines under it are its text (`! reason` when unread).
 * Read line by line: only the head and the first and latest samples are kept (the facts
 * compare the first with the last), of them only READ_SECTIONS, each at most MAX_SECTION_CHARS.
 */
class HostCpuStream implements ParseStream {
  private readonly head = new Map<string, string>();
  private first: Sample | undefined;
  private last: Sample | undefined;
  private samples = 0;
  private current: Map<string, string>;
  private name = '';
  private readonly blank = new BlankInput();
  private readonly lines: TextLines;
  private cutLines = 0;
  private tooLarge: string | undefined;

  constructor(skipBom: boolean) {
    this.current = this.head;
    this.lines = new TextLines(MAX_LINE_BYTES, skipBom, (line, _number, cut) => {
      if (cut) this.cutLines++;
      this.line(line);
    });
  }

  write(chunk: Uint8Array): void {
    this.blank.feed(chunk);
    this.lines.write(chunk);
  }

  private line(line: string): void {
    const header = /^== (\S+)(?: (.*))?$/.exec(line);
    if (header) {
      this.name = header[1]!;
      if (this.name === 'sample') {
        const atMs = Number((header[2] ?? '').split(' ')[1]);
        const next: Sample = { atMs, sections: new Map() };
        this.samples++;
        this.first ??= next;
        this.last = next;
        this.current = next.sections;
      } else if (this.name === 'cgroup') this.current.set('cgroup', header[2] ?? '');
      else if (READ_SECTIONS.has(this.name)) this.current.set(this.name, '');
      return;
    }
    if (!READ_SECTIONS.has(this.name)) return;
    const text = this.current.get(this.name) ?? '';
    if (text.length + line.length + 1 > MAX_SECTION_CHARS) this.tooLarge ??= this.name;
    else this.current.set(this.name, `${text}${line}\n`);
  }

  end(): ParseResult {
    this.lines.end();
    const warnings: ParseWarning[] = [];
    if (this.blank.isBlank()) return { facts: {}, warnings, error: { code: 'empty', message: 'no input: expected the host_cpu evidence of a snapshot' } };
    if (this.samples < 2) {
      return { facts: {}, warnings, error: { code: 'unrecognised-format', message: 'not host_cpu evidence: expected two "== sample N TIME" sections' } };
    }
    if (this.cutLines > 0) warnings.push({ message: `${this.cutLines} lines longer than ${MAX_LINE_BYTES / 1024} KiB were read up to there` });
    const facts = hostCpuFacts(this.head, this.first!, this.last!, warnings);
    if (this.tooLarge === undefined) return { facts, warnings };
    const message = `the ${this.tooLarge} section is larger than ${MAX_SECTION_CHARS / 2 ** 20} MiB, the most host-cpu keeps of one section: the lines after that were left out (is this host_cpu evidence?)`;
    return { facts, warnings, error: { code: 'invalid', message } };
  }
}

const unread = (text: string | undefined): boolean => text === undefined || text.startsWith('!');

/** The aggregate `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal … (USER_HZ ticks). */
function cpuTotals(stat: string | undefined): { total: number; idle: number; iowait: number; steal: number; cpus: number } | undefined {
  if (unread(stat)) return undefined;
  const lines = stat!.split('\n');
  const fields = /^cpu\s+(.*)$/m.exec(stat!)?.[1]?.trim().split(/\s+/).map(Number);
  if (!fields || fields.length < 4 || fields.some((v) => !Number.isFinite(v))) return undefined;
  // guest and guest_nice (fields 9, 10) are already counted in user and nice.
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { total, idle: fields[3]!, iowait: fields[4] ?? 0, steal: fields[7] ?? 0, cpus: lines.filter((l) => /^cpu\d+\s/.test(l)).length };
}

function keyValues(text: string | undefined): Map<string, number> {
  const values = new Map<string, number>();
  if (unread(text)) return values;
  for (const line of text!.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && Number.isFinite(Number(value))) values.set(key, Number(value));
  }
  return values;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function quotaCpus(head: Map<string, string>): number | null | undefined {
  const max = head.get('cpu.max');
  if (max !== undefined && !unread(max)) {
    const [quota, period] = max.trim().split(/\s+/);
    if (quota === 'max') return null;
    return Number(quota) > 0 && Number(period) > 0 ? Math.round((Number(quota) / Number(period)) * 100) / 100 : undefined;
  }
  const quota = head.get('cfs_quota_us');
  const period = head.get('cfs_period_us');
  if (unread(quota) || unread(period)) return undefined;
  if (Number(quota!.trim()) < 0) return null;
  return Number(period!.trim()) > 0 ? Math.round((Number(quota!.trim()) / Number(period!.trim())) * 100) / 100 : undefined;
}

export const hostCpuParser: StreamingParser = {
  name: 'host-cpu',
  summary: 'two samples of /proc/stat, /proc/loadavg and the cgroup cpu.stat: steal, busy share, run queue, CPU throttling',
  keyFacts: ['steal_percent', 'busy_percent', 'runnable_per_cpu', 'throttled_percent', 'cpu_quota_cpus'],
  parse: (input) => parseWhole(input, (skipBom) => new HostCpuStream(skipBom)),
  stream: () => new HostCpuStream(true),
};

/** The window between the first sample `a` and the last `b`. */
function hostCpuFacts(head: Map<string, string>, a: Sample, b: Sample, warnings: ParseWarning[]): Facts {
  const windowS = (b.atMs - a.atMs) / 1000;
  const facts: Facts = { window_s: Number.isFinite(windowS) ? round1(windowS * 10) / 10 : null };

  const before = cpuTotals(a.sections.get('stat'));
  const after = cpuTotals(b.sections.get('stat'));
  if (before && after && after.total > before.total) {
    const ticks = after.total - before.total;
    facts['cpus'] = after.cpus;
    facts['steal_percent'] = round1(((after.steal - before.steal) / ticks) * 100);
    facts['busy_percent'] = round1((1 - (after.idle + after.iowait - before.idle - before.iowait) / ticks) * 100);
  } else warnings.push({ message: '/proc/stat: no cpu line in both samples; steal and busy share unknown' });

  const load = b.sections.get('loadavg');
  const loadFields = unread(load) ? [] : load!.trim().split(/\s+/);
  const runnable = Number(loadFields[3]?.split('/')[0]);
  if (Number.isFinite(runnable) && loadFields.length >= 4) {
    facts['load1'] = Number(loadFields[0]);
    // The reading process itself is one of the runnable ones.
    facts['runnable'] = Math.max(0, runnable - 1);
    const cpus = typeof facts['cpus'] === 'number' && facts['cpus'] > 0 ? facts['cpus'] : 1;
    facts['runnable_per_cpu'] = round1((facts['runnable'] / cpus) * 10) / 10;
    facts['load1_per_cpu'] = round1((facts['load1'] / cpus) * 10) / 10;
  } else warnings.push({ message: '/proc/loadavg unreadable; run queue unknown' });

  const cgroup = head.get('cgroup') ?? '';
  facts['cgroup'] = cgroup.startsWith('!') ? null : cgroup.replace(/^v\d /, '');
  const quota = quotaCpus(head);
  if (quota !== undefined) facts['cpu_quota_cpus'] = quota;
  const statA = keyValues(a.sections.get('cpu.stat'));
  const statB = keyValues(b.sections.get('cpu.stat'));
  const periods = (statB.get('nr_periods') ?? NaN) - (statA.get('nr_periods') ?? NaN);
  const throttled = (statB.get('nr_throttled') ?? NaN) - (statA.get('nr_throttled') ?? NaN);
  // v2 counts microseconds, v1 nanoseconds.
  const throttledMs = statB.has('throttled_usec')
    ? (statB.get('throttled_usec')! - (statA.get('throttled_usec') ?? NaN)) / 1000
    : ((statB.get('throttled_time') ?? NaN) - (statA.get('throttled_time') ?? NaN)) / 1e6;
  if (Number.isFinite(periods) && Number.isFinite(throttled)) {
    facts['periods'] = periods;
    facts['throttled_periods'] = throttled;
    facts['throttled_percent'] = periods > 0 ? round1((throttled / periods) * 100) : 0;
    facts['throttled_ms'] = Number.isFinite(throttledMs) ? round1(throttledMs) : null;
    facts['throttled_periods_total'] = statB.get('nr_throttled') ?? 0;
  } else warnings.push({ message: 'cgroup cpu.stat unreadable or without nr_periods; CPU throttling unknown' });
  return facts;
}
