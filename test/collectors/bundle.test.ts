import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle, writeBundleMeta } from '../../src/collectors/bundle.js';
import { collectSnapshot } from '../../src/collectors/snapshot.js';
import { UserError } from '../../src/errors.js';
import type { Facts } from '../../src/parsers/types.js';
import { repoRoot } from '../helpers/cli.js';

const meta = { pid: 42, cmdline: ['./svc', '-addr', ':6060'], host: 'web-1', captured_at: '2026-11-22T00:00:00.000Z', go_version: 'go1.19.8' };

function bundleDir(): string {
  return mkdtempSync(join(tmpdir(), 'runbook-bundle-'));
}

function expectUserError(dir: string, message: string): void {
  let error: unknown;
  try {
    readBundle(dir);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).message).toBe(message);
}

describe('readBundle', () => {
  it('reads meta.json, counts the snapshots and finds gctrace.log', () => {
    const dir = bundleDir();
    writeBundleMeta(dir, meta);
    mkdirSync(join(dir, 'snapshots', '0'), { recursive: true });
    mkdirSync(join(dir, 'snapshots', '1'));
    writeFileSync(join(dir, 'gctrace.log'), 'gc 1 @0.01s 1%: 0.1+0.2+0.01 ms clock, 0.2+0/0.1/0+0.02 ms cpu, 4->4->1 MB, 5 MB goal, 2 P\n');
    expect(readBundle(dir)).toEqual({ dir, meta, snapshotCount: 2, gctracePath: join(dir, 'gctrace.log') });
  });

  it('names what is missing or wrong', () => {
    const dir = bundleDir();
    expectUserError(join(dir, 'absent'), `bundle ${join(dir, 'absent')}: no such directory`);
    expectUserError(dir, `bundle ${dir}: meta.json is missing`);
    writeFileSync(join(dir, 'meta.json'), '{"pid": 42,');
    expect(() => readBundle(dir)).toThrow(/meta\.json: not valid JSON/);
    writeBundleMeta(dir, { ...meta, cmdline: './svc' as unknown as string[] });
    expectUserError(dir, `bundle ${join(dir, 'meta.json')}: "cmdline" (an array of strings) is missing`);
    writeBundleMeta(dir, { ...meta, captured_at: 'yesterday' });
    expectUserError(dir, `bundle ${join(dir, 'meta.json')}: "captured_at" (an ISO-8601 time) is missing`);
    writeBundleMeta(dir, { ...meta, title: 42 as unknown as string });
    expectUserError(dir, `bundle ${join(dir, 'meta.json')}: "title" must be a string`);
    writeBundleMeta(dir, meta);
    expectUserError(dir, `bundle ${dir}: snapshots/ is missing`);
    mkdirSync(join(dir, 'snapshots'));
    expectUserError(dir, `bundle ${dir}: snapshots/ holds no snapshot (expected snapshots/0/)`);
    mkdirSync(join(dir, 'snapshots', '0'));
    mkdirSync(join(dir, 'snapshots', '2'));
    expectUserError(dir, `bundle ${dir}: snapshots/1/ is missing (snapshots are numbered 0, 1, … without gaps)`);
  });
});

describe('collectSnapshot from a bundle', () => {
  it('reports evidence the bundle lacks as missing, naming the file', async () => {
    const dir = bundleDir();
    writeBundleMeta(dir, meta);
    mkdirSync(join(dir, 'snapshots', '0'), { recursive: true });
    writeFileSync(join(dir, 'snapshots', '0', 'taken_at'), '2026-11-22T00:00:01.000Z\n');
    const out = bundleDir();
    const result = await collectSnapshot({ collect: ['heap', 'memstats', 'gctrace'], bundle: { dir, index: 0 }, outDir: out });
    expect(result.facts['taken_at']).toBe('2026-11-22T00:00:01.000Z');
    expect(result.facts['missing']).toEqual({
      heap: `not in the bundle: ${join(dir, 'snapshots', '0', 'heap.pb.gz')}`,
      memstats: `not in the bundle: ${join(dir, 'snapshots', '0', 'vars.json')}; not in the bundle: ${join(dir, 'snapshots', '0', 'heap.txt')}`,
      gctrace: `the bundle has no gctrace log (${join(dir, 'gctrace.log')})`,
    });
  });

  // capture --debug2 saves goroutine2.txt next to goroutine.txt in each snapshot (issue 13).
  function debug2Bundle(): string {
    const dir = bundleDir();
    writeBundleMeta(dir, meta);
    const real = (name: string): string => join(repoRoot, 'test', 'fixtures', 'goroutines-leaks', name);
    for (const [index, side] of [[0, 'before'], [1, 'after']] as const) {
      mkdirSync(join(dir, 'snapshots', String(index)), { recursive: true });
      copyFileSync(real(`select-leak.${side}.debug1.txt`), join(dir, 'snapshots', String(index), 'goroutine.txt'));
    }
    copyFileSync(real('select-leak.after.debug2.txt'), join(dir, 'snapshots', '1', 'goroutine2.txt'));
    return dir;
  }
  const topCause = (facts: Facts, diff: string): Facts => ((facts[diff] as Facts)['causes'] as Facts[])[0]!;

  it('prefers a snapshot\'s debug=2 dump to its debug=1 profile: the goroutines diff names the creator', async () => {
    const dir = debug2Bundle();
    const after = await collectSnapshot({ collect: ['goroutines'], bundle: { dir, index: 1 }, outDir: bundleDir(), compareTo: { dir: join(dir, 'snapshots', '0') } });
    expect(after.artifacts['goroutines']).toMatch(/goroutine2\.txt$/);
    expect(topCause(after.facts, 'goroutines_diff')).toMatchObject({ created_by: 'main.leakSelects.func1 leaky/mode_goroutines.go:118', state: 'select' });
  });

  it('a dump step past the last snapshot reads the latest debug=2 dump the bundle holds', async () => {
    const dir = debug2Bundle();
    const dump = await collectSnapshot({ collect: ['goroutines_debug2'], bundle: { dir, index: 2 }, outDir: bundleDir(), compareTo: { dir: join(dir, 'snapshots', '0') } });
    expect(dump.facts['missing']).toEqual({});
    expect(topCause(dump.facts, 'goroutines_debug2_diff')).toMatchObject({ signature: 'select-never-ready', created_by: 'main.leakSelects.func1 leaky/mode_goroutines.go:118' });
    const none = await collectSnapshot({ collect: ['goroutines_debug2'], bundle: { dir, index: 1 }, outDir: bundleDir() });
    expect(none.facts['goroutines_debug2']).toBeDefined();
    const without = bundleDir();
    writeBundleMeta(without, meta);
    mkdirSync(join(without, 'snapshots', '0'), { recursive: true });
    const missing = await collectSnapshot({ collect: ['goroutines_debug2'], bundle: { dir: without, index: 1 }, outDir: bundleDir() });
    expect(missing.facts['missing']).toEqual({ goroutines_debug2: 'no snapshot of the bundle holds goroutine2.txt (runbook capture --debug2 saves one with each snapshot)' });
  });
});
