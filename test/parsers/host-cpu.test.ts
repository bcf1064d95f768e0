import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostCpuParser } from '../../src/parsers/host-cpu.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/proc/local/host_cpu/${name}`, import.meta.url), 'utf8');

/** host_cpu evidence of a cgroup v2 host, with the given counters in each sample. */
function v2(samples: Array<{ at: number; cpu: string; throttled: [number, number, number] }>, max = '50000 100000'): string {
  let text = `== cgroup v2 /sys/fs/cgroup/system.slice/app.service\n== cpu.max /sys/fs/cgroup/system.slice/app.service/cpu.max\n${max}\n`;
  samples.forEach(({ at, cpu, throttled: [periods, throttled, usec] }, i) => {
    text += `== sample ${i} ${at}\n== stat /proc/stat\ncpu  ${cpu}\ncpu0 0 0 0 0\ncpu1 0 0 0 0\ncpu2 0 0 0 0\ncpu3 0 0 0 0\n== loadavg /proc/loadavg\n3.10 2.00 1.50 5/400 1234\n`;
    text += `== cpu.stat v2 /sys/fs/cgroup/system.slice/app.service/cpu.stat\nusage_usec 100\nnr_periods ${periods}\nnr_throttled ${throttled}\nthrottled_usec ${usec}\n`;
  });
  return text;
}

describe('host-cpu', () => {
  it('a cgroup with a 0.2 CPU quota, throttled (real, cgroup v1)', () => {
    const { facts, warnings, error } = hostCpuParser.parse(fixture('v1_throttled_quota_0.2cpu'));
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({ cpus: 2, cpu_quota_cpus: 0.2, periods: 10, throttled_periods: 9, throttled_percent: 90, throttled_ms: 189.4, steal_percent: 0 });
    expect(facts['window_s']).toBeCloseTo(1.03, 2);
  });

  it('no quota, a busy host: the run queue says so (real, cgroup v1)', () => {
    const { facts } = hostCpuParser.parse(fixture('v1_unthrottled_loaded_host'));
    expect(facts).toMatchObject({ cpus: 2, cpu_quota_cpus: null, throttled_percent: 0, steal_percent: 0, busy_percent: 100, runnable: 12, runnable_per_cpu: 6, load1: 13.4 });
  });

  it('cgroup v2: cpu.max and throttled_usec; steal over the window, not since boot', () => {
    const text = v2([
      { at: 1000, cpu: '1000 0 500 8000 0 0 0 90000 0 0', throttled: [100, 5, 20_000] },
      { at: 3000, cpu: '1200 0 560 8600 0 0 0 90140 0 0', throttled: [120, 15, 420_000] },
    ]);
    const { facts, warnings } = hostCpuParser.parse(text);
    expect(warnings).toEqual([]);
    // 1000 ticks in the window, 140 of them stolen (since boot it would be 90 %).
    expect(facts).toMatchObject({ window_s: 2, cpus: 4, steal_percent: 14, busy_percent: 40, cpu_quota_cpus: 0.5, periods: 20, throttled_periods: 10, throttled_percent: 50, throttled_ms: 400, runnable: 4, runnable_per_cpu: 1 });
    expect(hostCpuParser.parse(v2([{ at: 0, cpu: '1 0 0 1 0 0 0 0', throttled: [0, 0, 0] }, { at: 1000, cpu: '2 0 0 2 0 0 0 0', throttled: [0, 0, 0] }], 'max 100000')).facts['cpu_quota_cpus']).toBeNull();
  });

  it('unreadable parts become warnings, the rest stays', () => {
    const text = fixture('v1_unthrottled_loaded_host').replace(/== cpu\.stat v1 [^\n]*\n(?:[a-z_]+ \d+\n)+/g, '== cpu.stat v1 /x/cpu.stat\n! permission denied reading /x/cpu.stat\n');
    const { facts, warnings } = hostCpuParser.parse(text);
    expect(facts).toMatchObject({ steal_percent: 0, runnable: 12 });
    expect(facts).not.toHaveProperty('throttled_percent');
    expect(warnings.map((w) => w.message)).toEqual(['cgroup cpu.stat unreadable or without nr_periods; CPU throttling unknown']);
  });

  it('refuses other input and never throws', () => {
    expect(hostCpuParser.parse('').error?.code).toBe('empty');
    expect(hostCpuParser.parse('cpu  1 2 3 4\n').error?.code).toBe('unrecognised-format');
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => void hostCpuParser.parse(`== sample 0 1\n${text}\n== sample 1 x\n${text}`)));
  });
});
