import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from '../engine/helpers.js';
import { peakRssKb } from '../helpers/peak-rss.js';
import { journalRecords, sessionIds, startTool, toolDirs, type ToolDirs } from './tool.js';

let dirs: ToolDirs;
beforeEach(() => {
  dirs = toolDirs();
});
afterEach(() => dirs.remove());

describe('1 GiB of output through runbook run', () => {
  it('keeps the tool under 150 MB of peak RSS while the step prints one 1 GiB line', { timeout: 240_000 }, async () => {
    const tool = startTool(['run', fixture('big-output.yaml'), '--non-interactive'], dirs.env);
    let peak = 0;
    // VmHWM only grows, so the last reading before exit is the run's peak.
    const sampler = setInterval(() => {
      peak = Math.max(peak, peakRssKb(tool.child.pid!) ?? 0);
    }, 20);
    const { code } = await tool.exit;
    clearInterval(sampler);
    expect(tool.stderr()).toContain('printed 1073741824 bytes');
    expect(code).toBe(0);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(150 * 1024);
    const [id] = sessionIds(dirs.state);
    const flood = journalRecords(dirs.state, id!).find((r) => r.type === 'step.finished' && r.step === 'flood') as {
      artifacts: Record<string, string>;
      output: { total_bytes: number; truncated: boolean };
    };
    expect(flood.output).toMatchObject({ total_bytes: 1073741824, truncated: true });
    expect(statSync(join(dirs.state, 'sessions', id!, flood.artifacts.stdout!)).size).toBe(1073741824);
    process.stderr.write(`1 GiB run: tool peak RSS (VmHWM) ${Math.round(peak / 1024)} MB\n`);
  });
});
