// A step that prints 1 GB, or one 500 MB line, must not grow the tool's memory: the
// fixture tool reports its own peak RSS (process.resourceUsage().maxRSS, KiB).
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS } from '../../src/exec/output-excerpt.js';
import { startTool } from './tool-process.js';

const GIB = 1024 * 1024 * 1024;
const PEAK_RSS_LIMIT_KIB = 200 * 1024;

async function runBigStep(script: string) {
  const tool = startTool(['sh', '-c', script]);
  try {
    const exit = await tool.exited;
    const stdoutSize = statSync(join(tool.outDir, 'stdout')).size;
    const last = exit.lines.at(-1) as { result: { exitCode: number; stdout: Record<string, unknown> }; maxRSSKiB: number };
    return { exit, stdoutSize, ...last };
  } finally {
    rmSync(tool.outDir, { recursive: true, force: true }); // a gigabyte each
  }
}

describe('bounded memory for huge output', () => {
  it('1 GB of lines: every byte in the artifact, peak RSS under 200 MB', async () => {
    const run = await runBigStep(`yes 'the quick brown fox jumps over the lazy dog 0123456789' | head -c ${GIB}`);
    expect(run.exit.code).toBe(0);
    expect(run.stdoutSize).toBe(GIB);
    expect(run.result.stdout.total_bytes).toBe(GIB);
    // 55 bytes per line, the last one cut short by head -c.
    expect(run.result.stdout.total_lines).toBe(Math.ceil(GIB / 55));
    expect(run.result.stdout.truncated).toBe(true);
    expect(run.maxRSSKiB).toBeLessThan(PEAK_RSS_LIMIT_KIB);
  }, 180_000);

  it('one 500 MB line without a newline: peak RSS under 200 MB, line cut in the excerpt', async () => {
    const size = 500 * 1024 * 1024;
    const run = await runBigStep(`head -c ${size} /dev/zero | tr '\\0' a`);
    expect(run.exit.code).toBe(0);
    expect(run.stdoutSize).toBe(size);
    expect(run.result.stdout.total_bytes).toBe(size);
    expect(run.result.stdout.total_lines).toBe(1);
    expect(run.result.stdout.truncated).toBe(true);
    expect(String(run.result.stdout.head).length).toBeLessThan(MAX_LINE_CHARS + 10);
    expect(run.maxRSSKiB).toBeLessThan(PEAK_RSS_LIMIT_KIB);
  }, 180_000);
});
