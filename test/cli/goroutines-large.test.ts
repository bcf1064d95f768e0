// `runbook parse goroutines` and `runbook diff goroutines` on a debug=2 dump larger than the
// 256 MiB that parsers reading their whole input may take (issue 17 item 4): a real dump's
// goroutines repeated under new ids, as a service leaking goroutines writes them. The totals
// must be exact and the CLI's peak RSS bounded by the groups, not the dump.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WHOLE_INPUT_BYTES } from '../../src/cli/read-input.js';
import { goroutinesParser } from '../../src/parsers/goroutines.js';
import { repoRoot } from '../helpers/cli.js';
import { runCliMeasured as runMeasured } from '../helpers/peak-rss.js';
// @ts-expect-error plain JS shared with bench/goroutines.bench.js
import { writeRepeatedDump } from '../helpers/goroutine-dump.mjs';

const source = join(repoRoot, 'test/fixtures/goroutines-leaks/http-body-leak.after.debug2.txt');
const before = join(repoRoot, 'test/fixtures/goroutines-leaks/http-body-leak.before.debug1.txt');
/** Peak RSS allowed: node and the CLI take ~60 MiB; reading the dump whole took 437 MiB for 64 MiB. */
const MAX_PEAK_RSS_KB = 160 * 1024;

interface Group { count: number; top_frame: string; frames: string[] }

const byStack = (groups: Group[]): string[] => groups.map((g) => `${g.count} ${g.frames.join(' | ')}`).sort();

describe('a goroutine dump larger than 256 MiB', () => {
  let dir: string;
  let dump: string;
  let written: { copies: number; goroutines: number; bytes: number };
  const one = goroutinesParser.parse(readFileSync(source)).facts as unknown as { total: number; groups_count: number; groups: Group[]; states: Record<string, number> };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-goroutines-'));
    dump = join(dir, 'goroutine-debug2.txt');
    written = writeRepeatedDump(source, dump, MAX_WHOLE_INPUT_BYTES + 2 ** 20);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runbook parse goroutines FILE: every goroutine counted in its group, in bounded memory', { timeout: 180_000 }, async () => {
    expect(written.bytes).toBeGreaterThan(MAX_WHOLE_INPUT_BYTES);
    const run = await runMeasured(['parse', 'goroutines', dump, '--json']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const { facts, warnings } = JSON.parse(run.stdout) as { facts: typeof one & { truncated: boolean }; warnings: unknown[] };
    expect(warnings).toEqual([]);
    expect(facts.total).toBe(written.goroutines);
    expect(facts.total).toBe(one.total * written.copies);
    expect(facts.truncated).toBe(false);
    expect(facts.groups_count).toBe(one.groups_count);
    expect(byStack(facts.groups)).toEqual(byStack(one.groups.map((g) => ({ ...g, count: g.count * written.copies }))));
    expect(facts.states).toEqual(Object.fromEntries(Object.entries(one.states).map(([s, n]) => [s, n * written.copies])));
    expect(run.peakKb).toBeGreaterThan(0);
    expect(run.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);
    process.stderr.write(`runbook parse goroutines: ${(written.bytes / 2 ** 20).toFixed(0)} MiB, ${written.goroutines} goroutines, peak RSS ${Math.round(run.peakKb / 1024)} MiB\n`);
  });

  it('runbook diff goroutines BEFORE - (the large dump on stdin): the growth of each group, in bounded memory', { timeout: 180_000 }, async () => {
    const run = await runMeasured(['diff', 'goroutines', before, '-', '--json'], { stdin: { file: dump } });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const { facts } = JSON.parse(run.stdout) as { facts: { total_after: number; total_before: number; total_delta: number; grown: { after: number }[] } };
    expect(facts.total_after).toBe(written.goroutines);
    expect(facts.total_delta).toBe(written.goroutines - facts.total_before);
    expect(Math.max(...facts.grown.map((g) => g.after))).toBe(Math.max(...one.groups.map((g) => g.count)) * written.copies);
    expect(run.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);
  });
});
