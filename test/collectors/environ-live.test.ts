// The environ collector on the live Go service: the runtime settings it started with become
// facts, live and replayed from a `runbook capture` bundle, and the environment's other
// variables (a planted token) never reach the bundle, the facts or the journal.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureBundle } from '../../src/collectors/capture.js';
import { collectSnapshot } from '../../src/collectors/snapshot.js';
import { goServiceSkipReason, startGoService, type GoService } from '../helpers/go-service.js';

const plantedToken = 'ghp_environLiveTestPlanted0123456789abcdef';
const tempDir = (): string => mkdtempSync(join(tmpdir(), 'runbook-environ-'));

/** Every file under `dir`, read as text. */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'latin1'))
    .join('\n');
}

describe.skipIf(goServiceSkipReason !== undefined)(`environ of a live Go service${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
  let service: GoService;
  beforeAll(async () => {
    service = await startGoService('healthy', {
      env: { GOMEMLIMIT: '96MiB', GOGC: '40', GODEBUG: 'gctrace=1,asyncpreemptoff=1', GOMAXPROCS: '2', SERVICE_API_TOKEN: plantedToken },
    });
  });
  afterAll(async () => {
    await service.stop();
  });

  it('reads GOMEMLIMIT, GOGC, GODEBUG and GOMAXPROCS, and writes no other variable', async () => {
    const dir = tempDir();
    const result = await collectSnapshot({ collect: ['environ'], pid: service.pid, outDir: dir });
    expect(result.facts['missing']).toEqual({});
    expect(result.facts['environ']).toMatchObject({
      gomemlimit_bytes: 96 << 20,
      gogc: 40,
      gogc_off: false,
      godebug: { gctrace: '1', asyncpreemptoff: '1' },
      async_preempt_off: true,
      gomaxprocs: 2,
    });
    // The service re-execs itself with gctrace=1 appended to GODEBUG (test/go/leaky/main.go).
    const kept = readFileSync(join(dir, 'environ'), 'utf8').split('\0').filter(Boolean).sort();
    expect(kept).toEqual(['GODEBUG=gctrace=1,asyncpreemptoff=1,gctrace=1', 'GOGC=40', 'GOMAXPROCS=2', 'GOMEMLIMIT=96MiB']);
    expect(JSON.stringify(result)).not.toContain(plantedToken);
  });

  it('a capture bundle keeps the same facts and not the token', async () => {
    const out = join(tempDir(), 'bundle');
    const captured = await captureBundle({ pid: service.pid, pprof: service.url, intervalMs: 200, count: 1, out });
    expect(captured.snapshots[0]!.facts['environ']).toMatchObject({ gomemlimit_bytes: 96 << 20, gogc: 40, async_preempt_off: true });
    const replayed = await collectSnapshot({ collect: ['environ'], bundle: { dir: out, index: 0 }, outDir: tempDir() });
    expect(replayed.facts['environ']).toEqual(captured.snapshots[0]!.facts['environ']);
    expect(allText(out)).not.toContain(plantedToken);
  });

  it('a pid that is gone is a missing reason, not a throw', async () => {
    const result = await collectSnapshot({ collect: ['environ'], pid: (1 << 22) + 1, outDir: tempDir() });
    expect(result.facts['missing']).toMatchObject({ environ: expect.stringContaining('no such process') });
  });
});
