// `pid: name:NAME` against real Go processes: copies of the test service under names of their
// own (other tests run leaky at the same time), one alone, two twins, one with a name longer
// than the 15 bytes the kernel keeps as its command name.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGoProcessByName, goesBy } from '../../src/collectors/process-by-name.js';
import type { GoProcess } from '../../src/collectors/discover.js';
import { localProcessHost } from '../../src/collectors/process-host.js';
import { runCli } from '../helpers/cli.js';
import { buildLeaky, goServiceSkipReason, startGoProcess, type GoService } from '../helpers/go-service.js';

const runbook = `id: which-pid
title: Which pid
summary: the pid a name resolves to
inputs:
  pid: { type: pid, discover: go }
steps:
  - id: done
    conclude: { finding: found, severity: info, text: "pid {{ pid }}" }
`;

describe.skipIf(goServiceSkipReason !== undefined)('Go processes by name', () => {
  const suffix = randomBytes(3).toString('hex');
  const names = { solo: `solo-${suffix}`, twin: `twin-${suffix}`, long: `longer-service-${suffix}`, canary: `longer-service-${suffix}-canary` };
  const services: GoService[] = [];
  const pids: Record<string, number[]> = {};
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-by-name-'));
    writeFileSync(join(dir, 'which-pid.yaml'), runbook);
    const binary = buildLeaky();
    for (const name of Object.values(names)) copyFileSync(binary, join(dir, name));
    for (const name of [names.solo, names.twin, names.twin, names.long, names.canary]) {
      const service = await startGoProcess(join(dir, name), ['-mode', 'healthy', '-gctrace=false'], { label: name });
      services.push(service);
      (pids[name] ??= []).push(service.pid);
    }
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the one process of a name, by command name or executable basename', async () => {
    const solo = await findGoProcessByName(names.solo, localProcessHost);
    expect(solo).toMatchObject({ ok: true, process: { pid: pids[names.solo]![0], name: names.solo } });
    // The kernel keeps 15 bytes of the name; the executable's basename is whole, and tells
    // the service from its canary, whose command name is the same 15 bytes.
    const long = await findGoProcessByName(names.long, localProcessHost);
    expect(long).toMatchObject({ ok: true, process: { pid: pids[names.long]![0], name: names.long.slice(0, 15) } });
    const canary = await findGoProcessByName(names.canary, localProcessHost);
    expect(canary).toMatchObject({ ok: true, process: { pid: pids[names.canary]![0], name: names.long.slice(0, 15) } });
  });

  it('names every process when several share the name, and what there is when none has it', async () => {
    const twins = await findGoProcessByName(names.twin, localProcessHost);
    expect(twins.ok).toBe(false);
    const [a, b] = [...pids[names.twin]!].sort((x, y) => x - y);
    expect(!twins.ok && twins.reason).toBe(`2 Go processes are named '${names.twin}' on this host (${a} ${names.twin}, ${b} ${names.twin}): give the pid of the one to examine`);
    const absent = await findGoProcessByName(`absent-${suffix}`, localProcessHost);
    expect(!absent.ok && absent.reason).toMatch(new RegExp(`^no Go process named 'absent-${suffix}' on this host; the Go processes there are .*${pids[names.solo]![0]} ${names.solo}`));
  });

  it('runbook run --var pid=name:NAME runs against that pid, and refuses a name it cannot resolve', async () => {
    const env = { RUNBOOK_STATE_DIR: join(dir, 'state'), RUNBOOK_CONFIG_DIR: join(dir, 'config') };
    const found = await runCli(['run', join(dir, 'which-pid.yaml'), '--non-interactive', '--var', `pid=name:${names.solo}`], { env, timeout: 30_000 });
    expect(found.exitCode, found.stderr).toBe(0);
    expect(found.stderr).toContain(`conclusion [info] found: pid ${pids[names.solo]![0]}`);
    const twins = await runCli(['run', join(dir, 'which-pid.yaml'), '--non-interactive', '--var', `pid=name:${names.twin}`], { env, timeout: 30_000 });
    expect(twins.exitCode).toBe(2);
    expect(twins.stderr).toContain(`input pid: 2 Go processes are named '${names.twin}' on this host`);
    expect(twins.stderr).not.toMatch(/\n\s+at /);
    const hostile = await runCli(['run', join(dir, 'which-pid.yaml'), '--non-interactive', '--var', 'pid=name:$(touch x); rm -rf ~'], { env, timeout: 30_000 });
    expect(hostile.exitCode).toBe(2);
    expect(hostile.stderr).toContain("input pid: no Go process named '$(touch x); rm -rf ~' on this host");
  });
});

describe('goesBy', () => {
  const process = (name: string, cmdline: string[]): GoProcess => ({ pid: 7, name, cmdline, go_version: 'go1.19', rss_kb: null, pprof: null });

  it('takes the 15-byte command name for a longer name only when the cmdline cannot be read', () => {
    expect(goesBy(process('payments-api-wo', ['/usr/bin/payments-api-worker-canary']), 'payments-api-worker')).toBe(false);
    expect(goesBy(process('payments-api-wo', ['/usr/bin/payments-api-worker']), 'payments-api-worker')).toBe(true);
    expect(goesBy(process('payments-api-wo', []), 'payments-api-worker')).toBe(true);
    expect(goesBy(process('payments-api-wo', ['']), 'payments-api-worker')).toBe(true);
  });

  it('counts the 15 bytes in UTF-8, not in UTF-16 units', () => {
    // 'zählerdienst-ab' is 15 UTF-16 units but 16 bytes: the kernel keeps 'zählerdienst-a'.
    expect(goesBy(process('zählerdienst-a', []), 'zählerdienst-abc')).toBe(true);
    expect(goesBy(process('zählerdienst-a', []), 'zählerdienst-a')).toBe(true);
    expect(goesBy(process('zählerdienst-ab', []), 'zählerdienst-abc')).toBe(false);
  });
});
