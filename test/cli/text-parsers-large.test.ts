// key-value, escape, regex, status, cgo-audit and smaps on inputs larger than the 256 MiB a parser reading its whole
// input may take (issue 17 item 4): through the real binary, `runbook parse`, `runbook diff`
// with the large side on stdin, and a runbook step whose output a regex parses. Facts must be
// exact and the CLI's peak RSS bounded by what the facts keep, not by the input.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WHOLE_INPUT_BYTES } from '../../src/cli/read-input.js';
import { escapeDiffer } from '../../src/diffs/escape.js';
import { escapeParser } from '../../src/parsers/escape.js';
import { gunzipSync } from 'node:zlib';
import { goTraceEventsParser } from '../../src/parsers/go-trace-events.js';
import { lsanParser } from '../../src/parsers/lsan.js';
import { procSmapsParser } from '../../src/parsers/proc-smaps.js';
import { repoRoot } from '../helpers/cli.js';
import { runCliMeasured } from '../helpers/peak-rss.js';

/** Node and the CLI take ~60 MiB; a whole 257 MiB input would take well over 500. */
const MAX_PEAK_RSS_KB = 160 * 1024;
const escapeFixture = (name: string): string => join(repoRoot, 'test/fixtures/escape', name);

/** Writes `head` and then `block(i)` for i = 0, 1, … until past `bytes`, a block at a time; how many blocks. */
function writeFile(path: string, head: string, bytes: number, block: (i: number) => string): number {
  const fd = openSync(path, 'w');
  try {
    let written = writeSync(fd, head);
    let blocks = 0;
    while (written <= bytes) written += writeSync(fd, block(blocks++));
    return blocks;
  } finally {
    closeSync(fd);
  }
}

describe('text parsers on inputs larger than 256 MiB', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-text-large-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const past = MAX_WHOLE_INPUT_BYTES + 2 ** 20;

  it('runbook parse key-value FILE: the last value of each key, warnings capped, in bounded memory', { timeout: 240_000 }, async () => {
    const file = join(dir, 'kv.txt');
    // 1,000 keys, each written once per block: every line after the first block repeats a key.
    const lines = (i: number) => Array.from({ length: 1000 }, (_, k) => `Key ${k} of the api-server: ${i}\n`).join('');
    const blocks = writeFile(file, '', past, lines);
    try {
      const run = await runCliMeasured(['parse', 'key-value', file, '--json']);
      expect(run.exitCode).toBe(0);
      const { facts, warnings } = JSON.parse(run.stdout) as { facts: Record<string, number>; warnings: { message: string; line?: number }[] };
      expect(Object.keys(facts)).toHaveLength(1000);
      expect(facts.key_0_of_the_api_server).toBe(blocks - 1);
      expect(facts.key_999_of_the_api_server).toBe(blocks - 1);
      expect(warnings[0]).toEqual({ message: 'key key_0_of_the_api_server repeated; the last value wins', line: 1001 });
      expect(warnings.at(-1)!.message).toBe(`${1000 * (blocks - 1) - 50} more warnings not shown (first 50 kept)`);
      expect(run.peakKb).toBeGreaterThan(0);
      expect(run.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);
      process.stderr.write(`runbook parse key-value: ${(past / 2 ** 20).toFixed(0)} MiB, peak RSS ${Math.round(run.peakKb / 1024)} MiB\n`);
    } finally {
      rmSync(file);
    }
  });

  it('runbook parse escape FILE and runbook diff escape BEFORE - : a module-sized -m=2 output, exact, in bounded memory', { timeout: 240_000 }, async () => {
    const file = join(dir, 'escape.txt');
    const real = readFileSync(escapeFixture('leaky.m2.txt'), 'utf8');
    // A build of many packages prints mostly inlining decisions; the escapes are the real ones.
    const inlining = (i: number) => Array.from({ length: 100 }, (_, k) => `./gen/f${i}.go:${k + 1}:6: can inline gen.f${i}_${k} with cost 4 as: func() int { return ${k} }\n`).join('');
    const blocks = writeFile(file, real, past, inlining);
    try {
      const expected = escapeParser.parse(real).facts;
      const run = await runCliMeasured(['parse', 'escape', file, '--json']);
      expect(run.exitCode, run.stderr).toBe(0);
      const { facts } = JSON.parse(run.stdout) as { facts: Record<string, unknown> };
      expect(facts).toEqual({ ...expected, inline_lines: (expected.inline_lines as number) + 100 * blocks });
      expect(run.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);

      const diff = await runCliMeasured(['diff', 'escape', escapeFixture('leaky-noescape.m2.txt'), '-', '--json'], { stdin: { file } });
      expect(diff.exitCode, diff.stderr).toBe(0);
      const small = escapeDiffer.diff(readFileSync(escapeFixture('leaky-noescape.m2.txt')), real);
      expect((JSON.parse(diff.stdout) as { facts: unknown }).facts).toEqual(small.facts);
      expect(diff.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);
      process.stderr.write(`runbook parse escape: ${(past / 2 ** 20).toFixed(0)} MiB, peak RSS ${Math.round(run.peakKb / 1024)} MiB; diff from stdin ${Math.round(diff.peakKb / 1024)} MiB\n`);
    } finally {
      rmSync(file);
    }
  });

  it('runbook diff status BEFORE - : a status file whose VmRSS line repeats past 256 MiB, the last value kept, in bounded memory', { timeout: 240_000 }, async () => {
    const file = join(dir, 'status.txt');
    const before = join(repoRoot, 'test/fixtures/proc/local/leaky_before/proc_status.txt');
    const after = readFileSync(join(repoRoot, 'test/fixtures/proc/local/leaky_after/proc_status.txt'), 'utf8');
    const blocks = writeFile(file, after, past, (i) => Array.from({ length: 1000 }, (_, k) => `VmRSS:\t${1000 * i + k} kB\n`).join(''));
    try {
      const run = await runCliMeasured(['diff', 'status', before, '-', '--json'], { stdin: { file } });
      expect(run.exitCode, run.stderr).toBe(0);
      const { facts, warnings } = JSON.parse(run.stdout) as { facts: { vm_rss_kb_delta: number; before: { vm_rss_kb: number }; after: Record<string, unknown> }; warnings: { message: string }[] };
      expect(facts.vm_rss_kb_delta).toBe(1000 * blocks - 1 - facts.before.vm_rss_kb);
      expect(Object.keys(facts.after)).toHaveLength(after.trim().split('\n').length);
      expect(warnings.at(-1)!.message).toBe(`after: ${1000 * blocks - 50} more warnings not shown (first 50 kept)`);
      expect(run.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);
      process.stderr.write(`runbook diff status from stdin: ${(past / 2 ** 20).toFixed(0)} MiB, peak RSS ${Math.round(run.peakKb / 1024)} MiB\n`);
    } finally {
      rmSync(file);
    }
  });

  it('a step printing more than 256 MiB: its regex parse reads it all, in bounded memory', { timeout: 240_000 }, async () => {
    const runbook = join(dir, 'big-regex.yaml');
    writeFileSync(
      runbook,
      `id: big-regex
title: A regex over a large output
summary: The only p99 line comes last, after ${past} bytes of request lines.
inputs: {}
steps:
  - id: log
    run:
      shell: "yes 'GET /api/items 200 12ms' | head -c ${past}; echo 'p99_ms=42'"
      timeout: 5m
      parse: regex
      parse_options: { pattern: 'p99_ms=(?<p99_ms>[0-9]+)' }
  - id: done
    conclude: { finding: measured, severity: info, text: "p99 {{ log.p99_ms }} ms" }
`,
    );
    const state = join(dir, 'state');
    const run = await runCliMeasured(['run', runbook, '--non-interactive'], { env: { NO_COLOR: '1', CI: 'true', RUNBOOK_STATE_DIR: state, RUNBOOK_CONFIG_DIR: join(dir, 'config') } });
    rmSync(state, { recursive: true, force: true });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain('p99 42 ms');
    expect(run.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);
    process.stderr.write(`regex step over ${(past / 2 ** 20).toFixed(0)} MiB: peak RSS ${Math.round(run.peakKb / 1024)} MiB\n`);
  });

  it('runbook parse lsan FILE: a report after 257 MiB of the service log, exact, in bounded memory', { timeout: 240_000 }, async () => {
    const file = join(dir, 'asan-stderr.txt');
    const report = readFileSync(join(repoRoot, 'test/fixtures/lsan/cstring-leak.txt'), 'utf8');
    const log = (i: number) => Array.from({ length: 100 }, (_, k) => `2026/12/07 10:00:00 request ${i * 100 + k} served in 12ms\n`).join('');
    const fd = openSync(file, 'w');
    try {
      let written = 0;
      for (let i = 0; written <= past; i++) written += writeSync(fd, log(i));
      writeSync(fd, report);
    } finally {
      closeSync(fd);
    }
    try {
      const run = await runCliMeasured(['parse', 'lsan', file, '--json']);
      expect(run.exitCode, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as { facts: unknown }).facts).toEqual(lsanParser.parse(report).facts);
      expect(run.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);
      process.stderr.write(`runbook parse lsan: ${(past / 2 ** 20).toFixed(0)} MiB, peak RSS ${Math.round(run.peakKb / 1024)} MiB\n`);
    } finally {
      rmSync(file);
    }
  });

  it('runbook parse go-trace-events FILE: a 257 MiB event dump, every pause counted, in bounded memory', { timeout: 240_000 }, async () => {
    const file = join(dir, 'trace-d.txt');
    const dump = gunzipSync(readFileSync(join(repoRoot, 'test/fixtures/stw/preempt_loop_1s.trace.d.txt.gz'))).toString('utf8');
    const one = goTraceEventsParser.parse(dump).facts as { stw_count: number; stw_max_ms: number };
    const lines = dump.split('\n').filter((line) => line !== '');
    const span = Number(lines.at(-1)!.split(' ')[0]) + 1;
    // The dump again and again, each copy's times after the last: one long trace.
    const copy = (i: number) => `${lines.map((line) => { const space = line.indexOf(' '); return `${Number(line.slice(0, space)) + i * span}${line.slice(space)}`; }).join('\n')}\n`;
    const copies = writeFile(file, '', past, copy);
    try {
      const run = await runCliMeasured(['parse', 'go-trace-events', file, '--json']);
      expect(run.exitCode, run.stderr).toBe(0);
      const { facts } = JSON.parse(run.stdout) as { facts: typeof one };
      expect(facts.stw_count).toBe(one.stw_count * copies);
      expect(facts.stw_max_ms).toBe(one.stw_max_ms);
      expect(run.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);
      process.stderr.write(`runbook parse go-trace-events: ${(past / 2 ** 20).toFixed(0)} MiB, ${copies} copies, peak RSS ${Math.round(run.peakKb / 1024)} MiB\n`);
    } finally {
      rmSync(file);
    }
  });

  it('runbook parse cgo-audit FILE: a 257 MiB grep of a Go tree, every C allocation found, in bounded memory', { timeout: 240_000 }, async () => {
    const file = join(dir, 'grep.txt');
    // 1,000 files of 100 lines each per block (50,000 distinct names); in ten of them the function
    // allocates once and frees it. The findings are facts, listed in full: memory is theirs.
    const tree = (i: number) =>
      Array.from({ length: 1000 }, (_, f) => {
        const name = `/src/svc/p${i % 50}/f${f}.go`;
        const body = f < 10 ? `${name}:3:\tcs := C.CString(s)\n${name}:4:\tdefer C.free(unsafe.Pointer(cs))\n` : `${name}:3:\tcs := s\n${name}:4:\tuse(cs)\n`;
        return `${name}:1:package p\n${name}:2:func F${f}() {\n${body}${Array.from({ length: 95 }, (_, k) => `${name}:${k + 5}:\tx += ${k} // work\n`).join('')}${name}:100:}\n`;
      }).join('');
    const blocks = writeFile(file, '', past, tree);
    try {
      const run = await runCliMeasured(['parse', 'cgo-audit', file, '--json']);
      expect(run.exitCode, run.stderr).toBe(0);
      const { facts } = JSON.parse(run.stdout) as { facts: { files: number; allocations: number; freed: number } };
      expect(facts.files).toBe(Math.min(blocks, 50) * 1000);
      expect(facts.allocations).toBe(blocks * 10);
      expect(facts.freed).toBe(blocks * 10);
      expect(run.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);
      process.stderr.write(`runbook parse cgo-audit: ${(past / 2 ** 20).toFixed(0)} MiB, peak RSS ${Math.round(run.peakKb / 1024)} MiB\n`);
    } finally {
      rmSync(file);
    }
  });

  it('runbook diff smaps BEFORE - : 257 MiB of smaps on stdin, totals exact, memory bounded by the mappings kept', { timeout: 240_000 }, async () => {
    const file = join(dir, 'smaps.txt');
    const before = join(repoRoot, 'test/fixtures/proc/local/leaky_before/proc_smaps.txt');
    const after = readFileSync(join(repoRoot, 'test/fixtures/proc/local/leaky_after/proc_smaps.txt'));
    const one = procSmapsParser.parse(after).facts as { mappings: number; anon_kb: number };
    // A kernel with more fields per entry: 8 KiB of VmFlags-like text under each mapping.
    const padded = after.toString('utf8').replace(/^(VmFlags:.*)$/gm, `$1\nProtectionKey:  0\n${'Unknown_field:  0 kB\n'.repeat(400)}`);
    const copies = writeFile(file, '', past, () => padded);
    try {
      const run = await runCliMeasured(['diff', 'smaps', before, '-', '--json'], { stdin: { file } });
      expect(run.exitCode, run.stderr).toBe(0);
      const { facts } = JSON.parse(run.stdout) as { facts: { mappings_after: number; anon_kb_after: number } };
      expect(facts.mappings_after).toBe(one.mappings * copies);
      expect(facts.anon_kb_after).toBe(one.anon_kb * copies);
      expect(run.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);
      process.stderr.write(`runbook diff smaps from stdin: ${(past / 2 ** 20).toFixed(0)} MiB, ${one.mappings * copies} mappings, peak RSS ${Math.round(run.peakKb / 1024)} MiB\n`);
    } finally {
      rmSync(file);
    }
  });

  it('a parser that needs its whole input refuses a larger file at once, naming the file, the limit and what to pass', async () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, '{');
    truncateSync(file, past); // sparse: no 257 MiB written
    const run = await runCliMeasured(['parse', 'json', file]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${file} is larger than 256 MiB, the most the json parser reads: it needs its whole input in memory`);
    expect(run.stderr).toContain('tail -c 256M FILE | runbook … -');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.peakKb).toBeLessThan(MAX_PEAK_RSS_KB);
  });
});
