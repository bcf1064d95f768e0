// Evidence that cannot be had is a `missing` reason, never a throw: runbooks branch on it.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPprof } from '../../src/collectors/discover.js';
import { collectSnapshot } from '../../src/collectors/snapshot.js';
import type { Facts } from '../../src/parsers/types.js';
import { repoRoot } from '../helpers/cli.js';
import { goServiceSkipReason, startGoService, type GoService } from '../helpers/go-service.js';

function outDir(): string {
  return mkdtempSync(join(tmpdir(), 'runbook-missing-'));
}

describe('missing evidence', () => {
  it('no such process: every /proc collector says so', async () => {
    const pid = (1 << 22) + 1; // above the largest pid_max
    const result = await collectSnapshot({ collect: ['status', 'maps', 'smaps_rollup'], pid, outDir: outDir() });
    const missing = result.facts['missing'] as Facts;
    for (const file of ['status', 'maps', 'smaps_rollup']) {
      expect(missing[file]).toBe(`no such process: /proc/${pid}/${file} does not exist (the process exited or the pid is wrong)`);
    }
  });

  it('no pid and no pprof address: each collector names what it needed', async () => {
    const result = await collectSnapshot({ collect: ['status', 'heap', 'goroutines', 'gctrace'], outDir: outDir() });
    expect(result.facts['missing']).toEqual({
      status: 'no pid given: /proc evidence needs a live process',
      heap: 'no pprof endpoint given: the process serves no net/http/pprof address we know of',
      goroutines: 'no pprof endpoint given: the process serves no net/http/pprof address we know of',
      gctrace: 'no gctrace log given (run the process with GODEBUG=gctrace=1 and pass its stderr log)',
    });
    expect(result.warnings).toEqual([]);
  });

  // Root reads every /proc file, so run the collector as `nobody` against a root process;
  // as a normal user, pid 1 belongs to someone else already.
  const pid1Uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync('/proc/1/status', 'utf8'))?.[1]);
  const uid = process.getuid?.() ?? -1;
  const permissionSkip = uid !== 0 && pid1Uid === uid ? 'pid 1 runs as this user, so nothing here is denied' : undefined;
  it.skipIf(permissionSkip !== undefined)(`permission denied on /proc/PID/maps${permissionSkip ? ` (skipped: ${permissionSkip})` : ''}`, async () => {
    let missing: Facts;
    if (uid === 0) {
      const dir = outDir();
      chmodSync(dir, 0o777);
      const script = `import { collectSnapshot } from ${JSON.stringify(join(repoRoot, 'dist/collectors/snapshot.js'))};
        const result = await collectSnapshot({ collect: ['maps', 'smaps_rollup'], pid: ${process.pid}, outDir: ${JSON.stringify(join(dir, 'out'))} });
        process.stdout.write(JSON.stringify(result.facts.missing));`;
      const output = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', script], {
        encoding: 'utf8',
      });
      missing = JSON.parse(output) as Facts;
      expect(missing['maps']).toBe(`permission denied reading /proc/${process.pid}/maps: run as the process's user or root (ptrace access mode check)`);
    } else {
      const result = await collectSnapshot({ collect: ['maps', 'smaps_rollup'], pid: 1, outDir: outDir() });
      missing = result.facts['missing'] as Facts;
      expect(missing['maps']).toMatch(/^permission denied reading \/proc\/1\/maps/);
    }
    expect(missing['smaps_rollup']).toMatch(/^permission denied reading \/proc\/\d+\/smaps_rollup/);
  });

  describe.skipIf(goServiceSkipReason !== undefined)(`a Go service without net/http/pprof${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
    let service: GoService;
    beforeAll(async () => {
      service = await startGoService('c-heap', { noPprof: true });
    });
    afterAll(async () => {
      await service?.stop();
    });

    it('has no pprof address to discover', async () => {
      expect(await findPprof(service.pid, 2000)).toBeNull();
    });

    it('still yields /proc evidence; pprof and expvar evidence are missing with the HTTP status', async () => {
      const dir = outDir();
      const result = await collectSnapshot({ collect: ['status', 'maps', 'heap', 'goroutines', 'memstats', 'vars'], pid: service.pid, pprof: service.url, outDir: dir });
      const missing = result.facts['missing'] as Facts;
      const notFound = (path: string): string => `GET ${service.url}${path} answered 404 Not Found`;
      expect(missing['heap']).toBe(notFound('/debug/pprof/heap'));
      expect(missing['goroutines']).toBe(notFound('/debug/pprof/goroutine?debug=1'));
      expect(missing['memstats']).toBe(`${notFound('/debug/vars')}; ${notFound('/debug/pprof/heap?debug=1')}`);
      expect(missing['vars']).toBe(notFound('/debug/vars'));
      expect(result.artifacts['status']).toBe(join(dir, 'status'));
      expect(readFileSync(join(dir, 'status'), 'utf8')).toContain(`Pid:\t${service.pid}\n`);
      expect(result.artifacts['maps']).toBe(join(dir, 'maps'));
    });
  });
});
