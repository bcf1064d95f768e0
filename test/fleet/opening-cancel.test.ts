// A target whose ssh never answers while its session is still opening (the pid check,
// pid=name: discovery): the per-target timeout and the first Ctrl+C end it at once,
// recorded as timed out / cancelled, its ssh killed. Before, they waited out the reads'
// own 30 s / 60 s bounds. The `ssh` on PATH sleeps with a marker, so the test sees it die.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FleetRecord } from '../../src/fleet/fleet-records.js';
import { programsMatching, startTool, toolDirs, waitFor, waitForNoProcess, type ToolDirs } from '../runner/tool.js';

let dirs: ToolDirs;
let sshDir: string;
let marker: string;

beforeEach(() => {
  dirs = toolDirs();
  sshDir = mkdtempSync(join(tmpdir(), 'runbook-mute-ssh-'));
  marker = `300.${process.pid}${Math.floor(Math.random() * 1e6)}`;
  writeFileSync(join(sshDir, 'ssh'), `#!/bin/sh\nexec sleep ${marker}\n`, { mode: 0o755 });
  dirs.env.PATH = `${sshDir}:${process.env.PATH ?? ''}`;
});
afterEach(() => {
  dirs.remove();
  rmSync(sshDir, { recursive: true, force: true });
});

function failures(): Array<[string, string]> {
  const root = join(dirs.state, 'fleets');
  const [id] = readdirSync(root);
  const records = readFileSync(join(root, id!, 'journal.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as FleetRecord);
  return records.flatMap((r) => (r.type === 'child.failed' ? [[r.target, r.reason] as [string, string]] : [])).sort();
}

/** Well inside the reads' own bounds (30 s for the pid check, 60 s for a listing). */
const PROMPTLY_MS = 15_000;

describe('a target that never answers while its session opens', () => {
  it('is cancelled by --target-timeout at once, its ssh killed', async () => {
    const tool = startTool(['run', 'go-memory', '--target', 'ssh://mute1', '--target', 'ssh://mute2', '--var', 'pid=1', '--target-timeout', '2s', '--non-interactive'], dirs.env);
    await waitFor(() => programsMatching('sleep', marker).length >= 2, 20_000, 'both ssh to start');
    await waitFor(() => tool.child.exitCode !== null, PROMPTLY_MS, 'the fleet to end after its targets timed out');
    expect((await tool.exit).code, tool.stderr()).toBe(1);
    await waitForNoProcess(marker, 10_000, 'the mute ssh to be killed');
    expect(failures()).toEqual(['ssh://mute1', 'ssh://mute2'].map((t) => [t, 'no conclusion within 2s (--target-timeout): cancelled']));
  }, 60_000);

  it('is cancelled by the first Ctrl+C at once during pid=name: discovery, its ssh killed', async () => {
    const tool = startTool(['run', 'go-memory', '--target', 'ssh://mute1', '--target', 'ssh://mute2', '--var', 'pid=name:leaky', '--non-interactive'], dirs.env);
    await waitFor(() => programsMatching('sleep', marker).length >= 2, 20_000, 'both ssh to start');
    tool.child.kill('SIGINT');
    await waitFor(() => tool.child.exitCode !== null, PROMPTLY_MS, 'the fleet to end after Ctrl+C');
    expect((await tool.exit).code, tool.stderr()).toBe(130);
    await waitForNoProcess(marker, 10_000, 'the mute ssh to be killed');
    expect(failures()).toEqual(['ssh://mute1', 'ssh://mute2'].map((t) => [t, 'cancelled (Ctrl+C)']));
  }, 60_000);
});
