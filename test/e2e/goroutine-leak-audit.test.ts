// goroutine-leak on a replayed HTTP body leak (examples/http-body-leak, no live process):
// the goroutine stacks hold no frame of the service, so the source audit of the Go test
// service names the call that never closes a response body, by file:line; without a
// source tree the text says how to get it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const leakyDir = fileURLToPath(new URL('../go/leaky', import.meta.url));
const bundle = fileURLToPath(new URL('../../examples/http-body-leak', import.meta.url));
const getLine = readFileSync(join(leakyDir, 'mode_goroutines.go'), 'utf8').split('\n').findIndex((l) => l.includes('resp, err := client.Get(url)')) + 1;

async function replay(vars: string[]): Promise<{ path: Array<string | undefined>; finding?: string; text?: string; stderr: string }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'runbook-body-audit-'));
  const args = ['run', 'goroutine-leak', '--bundle', bundle, '--answer', 'states=yes', ...vars.flatMap((v) => ['--var', v]), '--non-interactive', '--json'];
  const result = await runCli(args, { env: { RUNBOOK_STATE_DIR: stateDir, CI: 'true' }, timeout: 120_000 });
  const events = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; step?: string; finding?: string; text?: string });
  const concluded = events.find((e) => e.type === 'session.concluded');
  return { path: events.filter((e) => e.type === 'step.finished').map((e) => e.step), finding: concluded?.finding, text: concluded?.text, stderr: result.stderr };
}

describe('goroutine-leak names the code that never closes a response body, replayed', () => {
  it('with source_dir: the audit names main.fetchStatus and its file:line', async () => {
    const outcome = await replay([`source_dir=${leakyDir}`]);
    expect(outcome.path, outcome.stderr).toEqual(['before', 'wait', 'after', 'evidence', 'growth', 'states', 'dump', 'causes', 'creator', 'body_audit', 'own_code', 'goroutine-leak']);
    expect(outcome.finding).toBe('goroutine-leak');
    expect(outcome.text).toContain(`source audit of ${leakyDir}: main.fetchStatus (${leakyDir}/mode_goroutines.go:${getLine}) gets resp from client.Get and never closes resp.Body; creator: net/http.(*Transport).dialConn`);
  }, 180_000);

  it('an audit that cannot run (its output past the parse limit) is said, and the diagnosis stands', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'runbook-big-tree-'));
    try {
      // 300,000 lines of one file importing net/http: ~20 MB of grep output, over the 16 MiB a step parses.
      writeFileSync(join(tree, 'big.go'), `package big\n\nimport "net/http"\n\n${'var _ = http.MethodGet // padding padding padding\n'.repeat(300_000)}`);
      const outcome = await replay([`source_dir=${tree}`]);
      expect(outcome.path, outcome.stderr).toEqual(['before', 'wait', 'after', 'evidence', 'growth', 'states', 'dump', 'causes', 'creator', 'body_audit', 'own_code', 'goroutine-leak']);
      expect(outcome.finding).toBe('goroutine-leak');
      expect(outcome.text).toContain(`; the source audit of ${tree} could not run (`);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  }, 180_000);

  it('without it: says the stacks hold no frame of the service and what to give', async () => {
    const outcome = await replay([]);
    expect(outcome.path, outcome.stderr).toEqual(['before', 'wait', 'after', 'evidence', 'growth', 'states', 'dump', 'causes', 'creator', 'own_code', 'goroutine-leak']);
    expect(outcome.text).toContain('(give source_dir, the Go source tree of the service, to name the call that never closes a response body); creator:');
  }, 180_000);
});
