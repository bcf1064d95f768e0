// The Go test service's /metrics reads like a client_golang service's: the standard names
// with their TYPE, a summary of GC pauses with quantiles, values that match the process
// (promtool, from Debian's prometheus package, lints the exposition format).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goServiceSkipReason, startGoService, type GoService } from '../helpers/go-service.js';

const promtoolMissing = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status !== 0 && !process.env['CI'];

describe.skipIf(goServiceSkipReason !== undefined)('leaky /metrics', () => {
  let service: GoService;
  let text = '';
  beforeAll(async () => {
    service = await startGoService('healthy', { gctrace: false });
    text = await (await fetch(`${service.url}/metrics`)).text();
  });
  afterAll(async () => service?.stop());

  const types: Record<string, string> = {
    process_resident_memory_bytes: 'gauge',
    process_start_time_seconds: 'gauge',
    process_cpu_seconds_total: 'counter',
    go_goroutines: 'gauge',
    go_threads: 'gauge',
    go_memstats_heap_inuse_bytes: 'gauge',
    go_memstats_heap_alloc_bytes: 'gauge',
    go_memstats_sys_bytes: 'gauge',
    go_memstats_alloc_bytes_total: 'counter',
    go_gc_duration_seconds: 'summary',
  };

  it('exports the standard names with their TYPE and HELP', () => {
    for (const [name, type] of Object.entries(types)) {
      expect(text).toContain(`# TYPE ${name} ${type}\n`);
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
    }
    for (const quantile of ['0', '0.25', '0.5', '0.75', '1']) expect(text).toMatch(new RegExp(`^go_gc_duration_seconds\\{quantile="${quantile}"\\} \\S+$`, 'm'));
    expect(text).toMatch(/^go_gc_duration_seconds_count \d+$/m);
  });

  it('reports the process as /proc sees it', async () => {
    const value = (name: string, exposition = text): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(exposition)?.[1]);
    // The healthy service's RSS still climbs in its first seconds (its baseline garbage fills
    // the heap to the GC's first goal), so /proc is read between two scrapes and must lie
    // within 25 % of the range they span.
    const rssBefore = value('process_resident_memory_bytes', await (await fetch(`${service.url}/metrics`)).text()) / 1024;
    const status = readFileSync(`/proc/${service.pid}/status`, 'utf8');
    const rssAfter = value('process_resident_memory_bytes', await (await fetch(`${service.url}/metrics`)).text()) / 1024;
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1]);
    expect(rssKb).toBeGreaterThan(Math.min(rssBefore, rssAfter) * 0.75);
    expect(rssKb).toBeLessThan(Math.max(rssBefore, rssAfter) * 1.25);
    const started = value('process_start_time_seconds');
    expect(started).toBeLessThanOrEqual(Date.now() / 1000 + 1);
    expect(started).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(value('go_goroutines')).toBeGreaterThan(1);
  });

  it.skipIf(promtoolMissing)('passes promtool check metrics', () => {
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint.stderr + lint.stdout).toBe('');
    expect(lint.status).toBe(0);
  });
});
