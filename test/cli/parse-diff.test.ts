import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { renderFactsTable } from '../../src/cli/facts-table.js';
import { parserNames } from '../../src/parsers/registry.js';
import { differKinds } from '../../src/diffs/registry.js';
import { mapsDiffer } from '../../src/diffs/maps.js';
import { addressSpace, later, random, text } from '../parsers/render/address-space.js';

const gc = 'test/fixtures/gctrace/local_go1.19.8_stw_spike_asyncpreemptoff.txt';
const leaky = (side: string, file: string): string => `test/fixtures/proc/local/leaky_${side}/${file}`;

describe('runbook parse', () => {
  it('prints key facts first, then the rest, then lists as bounded tables', async () => {
    const result = await runCli(['parse', 'gctrace', gc]);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('gctrace');
    expect(lines[1]).toMatch(/^ {2}cycles +9$/);
    expect(result.stdout).toMatch(/stw_max_ms +206\n/);
    expect(result.stdout).toMatch(/series: 9 items/);
    expect(result.stderr).toBe('');
  });

  it('prints {facts, warnings} with --json', async () => {
    const result = await runCli(['parse', 'gctrace', gc, '--json']);
    expect(result.exitCode).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.facts.stw_max_ms).toBe(206);
    expect(parsed.facts.series).toHaveLength(9);
    expect(parsed.warnings).toEqual([]);
  });

  it('reads stdin with -', async () => {
    const result = await runCli(['parse', 'proc-status', '-', '--json'], { stdin: 'pipe', input: readFileSync(leaky('after', 'proc_status.txt')) });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).facts.vm_rss_kb).toBe(111492);
  });

  it('exits 2 naming the file and what was expected when the input is the wrong format', async () => {
    const result = await runCli(['parse', 'gctrace', leaky('after', 'proc_status.txt')]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`runbook: ${leaky('after', 'proc_status.txt')}: gctrace: no gctrace lines found`);
    expect(result.stderr).toContain('expected lines like "gc 14 @');
  });

  it('exits 2 on an old Go gctrace log, with the warning on stderr', async () => {
    const file = 'test/fixtures/gctrace/go1.4_issue12228_pre15_format.txt';
    const result = await runCli(['parse', 'gctrace', file]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`runbook: warning: ${file}:1: 9 Go ≤ 1.4 gctrace lines`);
    expect(result.stderr).toMatch(/unsupported|pre-Go 1.6/);
  });

  it('suggests the closest parser name and lists them', async () => {
    const result = await runCli(['parse', 'gctrce', gc]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown parser 'gctrce'");
    expect(result.stderr).toContain('did you mean gctrace?');
  });

  it('says which file cannot be read', async () => {
    const result = await runCli(['parse', 'proc-maps', 'no/such/file']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('cannot read no/such/file (ENOENT)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('every registered parser runs from the CLI without an internal error', async () => {
    for (const name of parserNames()) {
      const result = await runCli(['parse', name, leaky('after', 'proc_maps.txt')]);
      expect([0, 2], `${name}: ${result.stderr}`).toContain(result.exitCode);
    }
  });
});

describe('runbook diff', () => {
  it('shows the maps growth of the leaky service', async () => {
    const result = await runCli(['diff', 'maps', leaky('before', 'proc_maps.txt'), leaky('after', 'proc_maps.txt')]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^maps diff\n {2}anon_growth_kb +138088\n/);
    expect(result.stdout).toMatch(/arena_growth_kb +28672/);
    expect(result.stdout).toMatch(/grown_regions: 4 items\n.*\n {2}c000000000 +c004000000 +go-arena/);
  });

  it('--json for status', async () => {
    const result = await runCli(['diff', 'status', leaky('before', 'proc_status.txt'), leaky('after', 'proc_status.txt'), '--json']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).facts.threads_delta).toBe(6);
  });

  it('exits 2 naming the side that failed', async () => {
    const result = await runCli(['diff', 'smaps-rollup', leaky('before', 'proc_smaps_rollup.txt'), leaky('after', 'proc_maps.txt')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`runbook: ${leaky('after', 'proc_maps.txt')}: smaps-rollup diff: after: not a smaps_rollup file`);
  });

  it('reads two large maps files in lockstep (or one from stdin) to what the whole diff gives; refuses one out of order, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-diff-'));
    try {
      // ~3 MiB each: several of the reader's 1 MiB chunks, merged while they are read.
      const rows = addressSpace(random(19), 40_000);
      const [before, after] = [text(rows), text(later(random(20), rows))];
      writeFileSync(join(dir, 'before'), before);
      writeFileSync(join(dir, 'after'), after);
      const whole = JSON.parse(JSON.stringify(mapsDiffer.diff(before, after)));
      const files = await runCli(['diff', 'maps', join(dir, 'before'), join(dir, 'after'), '--json']);
      expect(files.exitCode, files.stderr).toBe(0);
      expect(JSON.parse(files.stdout)).toEqual(whole);
      const piped = await runCli(['diff', 'maps', '-', join(dir, 'after'), '--json'], { stdin: 'pipe', input: before });
      expect(JSON.parse(piped.stdout)).toEqual(whole);

      const lines = before.toString('utf8').split('\n');
      writeFileSync(join(dir, 'edited'), [...lines.slice(0, 29_999), lines[30_000], lines[29_999], ...lines.slice(30_001)].join('\n'));
      const edited = await runCli(['diff', 'maps', join(dir, 'edited'), join(dir, 'after')]);
      expect(edited.exitCode).toBe(2);
      expect(edited.stderr).toContain(`runbook: ${join(dir, 'edited')}:30001: maps diff: before: line 30001 starts below the mapping before it`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every registered diff runs from the CLI without an internal error', async () => {
    for (const kind of differKinds()) {
      const result = await runCli(['diff', kind, leaky('before', 'proc_status.txt'), leaky('after', 'proc_status.txt')]);
      expect([0, 2], `${kind}: ${result.stderr}`).toContain(result.exitCode);
    }
  });
});

describe('facts table', () => {
  it('renders any facts: nested objects summarised, long lists cut to first and last rows, cells bounded', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ n: i, name: `f${i}`, frames: ['a', 'b'] }));
    const text = renderFactsTable(
      { total: 12, label: 'x'.repeat(80), groups: rows, totals: { a: 1, b: 'two' }, empty: [], missing: null },
      { title: 'example', keyFacts: ['total'], width: 100 },
    );
    expect(text).toContain('  total    12\n');
    expect(text).toContain(`  label    ${'x'.repeat(47)}…\n`);
    expect(text).toContain('  missing  -\n');
    expect(text).toContain('groups: 12 items\n  n   name  frames\n  0   f0    a, b\n');
    expect(text).toContain('  … 2 more …\n');
    expect(text).toContain('totals: 2 fields\n  a  1\n  b  two\n');
    expect(text).toContain('empty: 0 items');
  });
});
