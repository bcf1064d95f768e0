// gdb's malloc_info call inside a busy cgo service, again and again: the service survives
// every call and every call answers. Run on the thread gdb stops in (a goroutine on its
// small Go stack), fopen and malloc_info overflowed that stack and the service died of a
// SIGSEGV in another thread (once in 65 calls measured here; the new way: none in 95).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMallocInfo } from '../../src/collectors/malloc-info-probe.js';
import { mallocInfoParser } from '../../src/parsers/malloc-info.js';
import { goServiceSkipReason, serviceCounter, startGoService, type GoService } from '../helpers/go-service.js';

const gdbSkipReason = process.getuid?.() !== 0 ? 'gdb attach needs root' : spawnSync('gdb', ['--version'], { stdio: 'ignore' }).status !== 0 ? 'gdb is not installed' : undefined;
const skipReason = goServiceSkipReason ?? (process.env['CI'] ? undefined : gdbSkipReason);
const calls = 15;

describe.skipIf(skipReason !== undefined)(`malloc_info through gdb on the live service${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let service: GoService;
  beforeAll(async () => {
    // C.CString copies and Go allocations from several goroutines: threads are mostly inside Go code or malloc.
    service = await startGoService('cstring-and-go-heap', { rate: 0.8, gctrace: false });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
  });

  it(`answers ${calls} calls in a row and the service lives on`, async () => {
    for (let call = 1; call <= calls; call++) {
      const outcome = await readMallocInfo(service.pid);
      expect(() => process.kill(service.pid, 0), `the service died after call ${call}`).not.toThrow();
      if (!outcome.ok) throw new Error(`call ${call}: ${outcome.reason}`);
      const parsed = mallocInfoParser.parse(new Uint8Array(outcome.bytes));
      expect(parsed.error).toBeUndefined();
      expect(parsed.facts['arenas']).toBeGreaterThanOrEqual(1);
    }
    // Still serving: its expvar answers and the C side is still counting.
    expect(await serviceCounter(service, 'c_held_bytes')).toBeGreaterThan(0);
  }, 300_000);
});
