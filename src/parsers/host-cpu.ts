// The `host_cpu` evidence (collectors/host-cpu.ts: two samples of /proc/stat, /proc/loadavg
// and the process's cgroup cpu.stat) → whether the host or the cgroup kept the process off
// the CPU during the window: steal, busy share, runnable threads, CFS throttling. Pure and total.
import { asText } from './input.js';
import type { Facts, ParseResult, ParseWarning, Parser, ParserInput } from './types.js';

interface Sample {
  atMs: number;
  sections: Map<string, string>;
}

interface Parsed {
  head: Map<string, string>;
  samples: Sample[];
}

/** `== name path` starts a section; the lines under it are its text (`! reason` when unread). */
function split(text: string): Parsed {
  const head = new Map<string, string>();
  const samples: Sample[] = [];
  let current = head;
  let name = '';
  for (const line of text.split('\n')) {
    const header = /^== (\S+)(?: (.*))?$/.exec(line);
    if (header) {
      name = header[1]!;
      if (name === 'sample') {
        const atMs = Number((header[2] ?? '').split(' ')[1]);
        const next: Sample = { atMs, sections: new Map() };
        samples.push(next);
        current = next.sections;
      } else {
        if (name === 'cgroup') current.set('cgroup', header[2] ?? '');
        else current.set(name, '');
      }
      continue;
    }
    if (name && name !== 'sample' && name !== 'cgroup') current.set(name, `${current.get(name) ?? ''}${line}\n`);
  }
  return { head, samples };
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

export const hostCpuParser: Parser = {
  name: 'host-cpu',
  summary: 'two samples of /proc/stat, /proc/loadavg and the cgroup cpu.stat: steal, busy share, run queue, CPU throttling',
  keyFacts: ['steal_percent', 'busy_percent', 'runnable_per_cpu', 'throttled_percent', 'cpu_quota_cpus'],
  parse(input: ParserInput): ParseResult {
    const text = asText(input);
    const warnings: ParseWarning[] = [];
    if (text.trim() === '') return { facts: {}, warnings, error: { code: 'empty', message: 'no input: expected the host_cpu evidence of a snapshot' } };
    const { head, samples } = split(text);
    if (samples.length < 2) {
      return { facts: {}, warnings, error: { code: 'unrecognised-format', message: 'not host_cpu evidence: expected two "== sample N TIME" sections' } };
    }
    const [a, b] = [samples[0]!, samples[samples.length - 1]!];
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
    return { facts, warnings };
  },
};
