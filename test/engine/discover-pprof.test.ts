// A `pid` input with `discover: go`: when the engineer gives no `pprof`, the engine finds
// the process's own net/http/pprof endpoint (a default port could belong to another process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { goServiceSkipReason, startGoService, type GoService } from '../helpers/go-service.js';
import { fixture } from './helpers.js';
import { journalRecords, sessionIds, toolDirs, type ToolDirs } from '../runner/tool.js';

describe.skipIf(goServiceSkipReason !== undefined)(`pprof from the process${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
  let withPprof: GoService;
  let withoutPprof: GoService;
  let dirs: ToolDirs;
  beforeAll(async () => {
    [withPprof, withoutPprof] = await Promise.all([startGoService('healthy'), startGoService('healthy', { noPprof: true })]);
  });
  afterAll(async () => {
    await Promise.all([withPprof?.stop(), withoutPprof?.stop()]);
  });

  async function inputsOfRun(args: string[]): Promise<Record<string, unknown>> {
    dirs = toolDirs();
    try {
      const result = await runCli(['run', fixture('discover-pprof.yaml'), ...args], { env: dirs.env });
      expect(result.exitCode).toBe(0);
      const started = journalRecords(dirs.state, sessionIds(dirs.state)[0]!).find((r) => r.type === 'session.started');
      return (started as { inputs: Record<string, unknown> }).inputs;
    } finally {
      dirs.remove();
    }
  }

  it('fills pprof with the address the process answers /debug/pprof/ on', async () => {
    expect((await inputsOfRun(['--var', `pid=${withPprof.pid}`])).pprof).toBe(withPprof.url);
  });

  it('leaves pprof empty when none of its sockets serves pprof, instead of trusting the default port', async () => {
    expect((await inputsOfRun(['--var', `pid=${withoutPprof.pid}`])).pprof).toBe('');
  });

  it('keeps the address the engineer gave', async () => {
    expect((await inputsOfRun(['--var', `pid=${withPprof.pid}`, '--var', 'pprof=http://127.0.0.1:1'])).pprof).toBe('http://127.0.0.1:1');
  });
});
