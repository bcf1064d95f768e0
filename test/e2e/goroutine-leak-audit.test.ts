// goroutine-leak on a replayed HTTP body leak (examples/http-body-leak, no live process) and
// a replayed context never cancelled (a bundle of the test service's real dumps): the
// goroutine stacks hold no frame of the service, so the source audit of the Go test service
// names the call that never closes a response body or drops a cancel function, by
// file:line; without a source tree the text says how to get it.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const leakyDir = fileURLToPath(new URL('../go/leaky', import.meta.url));
const bundle = fileURLToPath(new URL('../../examples/http-body-leak', import.meta.url));
const getLine = readFileSync(join(leakyDir, 'mode_goroutines.go'), 'utf8').split('\n').findIndex((l) => l.includes('resp, err := client.Get(url)')) + 1;

async function replay(vars: string[], from = bundle): Promise<{ path: Array<string | undefined>; finding?: string; text?: string; stderr: string }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'runbook-body-audit-'));
  const args = ['run', 'goroutine-leak', '--bundle', from, '--answer', 'states=yes', ...vars.flatMap((v) => ['--var', v]), '--non-interactive', '--json'];
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

  it('a 20 MB grep output is read as it streams (past the 16 MiB a whole-input parser takes), and the audit says what it found', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'runbook-big-tree-'));
    try {
      // 300,000 lines of one file importing net/http: ~20 MB of grep output.
      writeFileSync(join(tree, 'big.go'), `package big\n\nimport "net/http"\n\n${'var _ = http.MethodGet // padding padding padding\n'.repeat(300_000)}`);
      const outcome = await replay([`source_dir=${tree}`]);
      expect(outcome.path, outcome.stderr).toEqual(['before', 'wait', 'after', 'evidence', 'growth', 'states', 'dump', 'causes', 'creator', 'body_audit', 'own_code', 'goroutine-leak']);
      expect(outcome.finding).toBe('goroutine-leak');
      expect(outcome.text).toContain(`source audit of ${tree}: no HTTP client call in the 1 Go files that import net/http (of 1 read)`);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  }, 180_000);

  it('a source tree that does not exist reads as no Go file read, and the diagnosis stands', async () => {
    const missing = join(tmpdir(), `runbook-no-tree-${process.pid}`);
    const outcome = await replay([`source_dir=${missing}`]);
    expect(outcome.finding).toBe('goroutine-leak');
    expect(outcome.text).toContain(`source audit of ${missing}: no Go file that imports net/http was read (0 read): is it the service's source tree?`);
  }, 180_000);

  it('without it: says the stacks hold no frame of the service and what to give', async () => {
    const outcome = await replay([]);
    expect(outcome.path, outcome.stderr).toEqual(['before', 'wait', 'after', 'evidence', 'growth', 'states', 'dump', 'causes', 'creator', 'own_code', 'goroutine-leak']);
    expect(outcome.text).toContain('(give source_dir, the Go source tree of the service, to name the call that never closes a response body); creator:');
  }, 180_000);
});

/** A bundle of goroutine dumps only: the test service's context-leak dumps (SOURCE.txt there), 4 s apart. */
function contextLeakBundle(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'runbook-context-leak-')), 'bundle');
  const dumps = fileURLToPath(new URL('../fixtures/goroutines-leaks', import.meta.url));
  const files: Array<[number, string, string]> = [
    [0, 'context-leak.before.debug1.txt', 'goroutine.txt'],
    [1, 'context-leak.after.debug1.txt', 'goroutine.txt'],
    [1, 'context-leak.after.debug2.txt', 'goroutine2.txt'],
  ];
  for (const [n, from, to] of files) {
    mkdirSync(join(dir, 'snapshots', String(n)), { recursive: true });
    copyFileSync(join(dumps, from), join(dir, 'snapshots', String(n), to));
    writeFileSync(join(dir, 'snapshots', String(n), 'taken_at'), `2026-12-07T05:00:0${1 + 4 * n}.000Z\n`);
  }
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ pid: 4242, cmdline: ['leaky', '-mode', 'context-leak', '-rate', '2'], host: 'vm', captured_at: '2026-12-07T05:00:05.000Z', go_version: 'go1.19.8' }));
  return dir;
}

describe('goroutine-leak names the code that drops a cancel function, replayed', () => {
  const bundleDir = contextLeakBundle();
  afterAll(() => rmSync(join(bundleDir, '..'), { recursive: true, force: true }));
  const dropLine = readFileSync(join(leakyDir, 'mode_goroutine_waits.go'), 'utf8').split('\n').findIndex((l) => l.includes('ctx, _ := context.WithCancel(parent)')) + 1;

  it('with source_dir: the audit names main.handleWithTimeoutBudget and its file:line', async () => {
    const outcome = await replay([`source_dir=${leakyDir}`], bundleDir);
    expect(outcome.path, outcome.stderr).toEqual(['before', 'wait', 'after', 'evidence', 'growth', 'states', 'dump', 'causes', 'creator', 'cancel_audit', 'own_code', 'goroutine-leak']);
    expect(outcome.finding).toBe('goroutine-leak');
    expect(outcome.text).toContain(`source audit of ${leakyDir}: main.handleWithTimeoutBudget (${leakyDir}/mode_goroutine_waits.go:${dropLine}) discards the cancel function of context.WithCancel (assigned to _): that context is never cancelled`);
    expect(outcome.text).toContain('creator: context.propagateCancel context/context.go:');
    // No MemStats in this bundle: said, not printed as 0.
    expect(outcome.text).toMatch(/StackInuse was not read \(not in the bundle: [^)]*vars\.json/);
  }, 180_000);

  it('without it: says what to give', async () => {
    const outcome = await replay([], bundleDir);
    expect(outcome.path, outcome.stderr).toEqual(['before', 'wait', 'after', 'evidence', 'growth', 'states', 'dump', 'causes', 'creator', 'own_code', 'goroutine-leak']);
    expect(outcome.text).toContain('(give source_dir, the Go source tree of the service, to name the context whose cancel function is never called); creator:');
  }, 180_000);
});
