import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { factLines, filterFactLines } from '../../src/facts/fact-lines.js';
import { factRows } from '../../src/facts/fact-rows.js';
import { humanValue } from '../../src/facts/human-value.js';
import { collectSnapshot } from '../../src/collectors/snapshot.js';
import type { Step } from '../../src/runbook/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

describe('facts in human units', () => {
  it('reads the unit from the name: kB, MiB, ms, µs, ns, s, percent, rates, counts with separators', () => {
    expect(humanValue('vm_rss_kb', 263100)).toBe('256.9 MiB');
    expect(humanValue('rss_growth_mb', 12.25)).toBe('+12.25 MiB');
    expect(humanValue('vm_rss_kb_delta', -102)).toBe('−102.0 KiB');
    expect(humanValue('stw_p99_ms', 27.14159)).toBe('27.14 ms');
    expect(humanValue('stw_us', 1804)).toBe('1.8 ms');
    expect(humanValue('pause_total_ns', 5_821_210)).toBe('6 ms');
    expect(humanValue('interval_s', 15)).toBe('15 s');
    expect(humanValue('gc_cpu_percent_last', 22.5)).toBe('22.5 %');
    expect(humanValue('gc_per_s', 3.25)).toBe('3.25/s');
    expect(humanValue('total', 4616)).toBe('4,616');
    expect(humanValue('total_delta', 2970)).toBe('+2,970');
    expect(humanValue('enable_gc', true)).toBe('yes');
    expect(humanValue('states', null)).toBeUndefined();
    expect(humanValue('pid', 48213)).toBe('48213');
    expect(humanValue('exit_code', 1)).toBe('1');
  });

  it('knows MemStats and pprof byte fields, whose names carry no unit', () => {
    expect(humanValue('heap_inuse', 244_097_024, { group: 'memstats' })).toBe('232.8 MiB');
    expect(humanValue('heap_objects', 46_100, { group: 'memstats' })).toBe('46,100');
    expect(humanValue('total', 3_148_032, { group: 'heap', unit: 'bytes' })).toBe('3.0 MiB');
    expect(humanValue('total', 3_148_032, { group: 'goroutines' })).toBe('3,148,032');
  });

  it('lists every fact of a real snapshot, key facts first, no null rows, filterable', async () => {
    const out = mkdtempSync(join(tmpdir(), 'facts-'));
    try {
      const bundle = join(examples, 'go-heap-leak');
      await collectSnapshot({ collect: ['status', 'memstats', 'heap', 'goroutines'], outDir: join(out, 'b'), bundle: { dir: bundle, index: 0 } });
      const after = await collectSnapshot({ collect: ['status', 'memstats', 'heap', 'goroutines'], outDir: join(out, 'a'), bundle: { dir: bundle, index: 1 }, compareTo: { dir: join(out, 'b') } });
      const step = { id: 'after', kind: 'snapshot', snapshot: { collect: ['status', 'memstats', 'heap', 'goroutines'], compare_to: 'before' } } as unknown as Step;
      const lines = factLines(step, after.facts);
      expect(lines.length).toBeGreaterThan(100);
      expect(lines[0]).toMatchObject({ name: 'status.vm_rss_kb', key: true });
      expect(lines[0]!.value).toMatch(/^[\d.]+ MiB$/);
      expect(lines.filter((line) => line.value === 'null' || line.value === '' || line.value.includes('undefined'))).toEqual([]);
      expect(lines.filter((line) => line.key).length).toBe(factRows(step, after.facts, Infinity).length);
      // The MemStats diff and every heap profile row are reachable by filtering.
      expect(filterFactLines(lines, 'memstats_diff heap_inuse').map((l) => l.name)).toContain('memstats_diff.heap_inuse_delta');
      const leak = filterFactLines(lines, 'heap_diff.growing_flat leakGoHeap');
      expect(leak[0]?.value).toMatch(/^main\.leakGoHeap {2}flat \+[\d.]+ MiB/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
