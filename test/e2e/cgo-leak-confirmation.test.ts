// cgo-leak's restart-based and source evidence on a replayed bundle (no root, no live
// process): the source audit of the Go test service and a real LeakSanitizer report of its
// -asan build reach the conclusion, by file:line.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const leakyDir = fileURLToPath(new URL('../go/leaky', import.meta.url));
const lsanReport = fileURLToPath(new URL('../fixtures/lsan/c-large-malloc.txt', import.meta.url));
const bundle = fileURLToPath(new URL('../../examples/c-heap-leak', import.meta.url));
const cstringLine = readFileSync(join(leakyDir, 'mode_cgo.go'), 'utf8').split('\n').findIndex((l) => l.includes('name := C.CString(longName)')) + 1;

describe('cgo-leak with a source tree and an LSan report, replayed', () => {
  it('names the unfreed C.CString line and LeakSanitizer\'s largest leak in the conclusion', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-cgo-confirm-'));
    const args = ['run', 'cgo-leak', '--bundle', bundle, '--var', `source_dir=${leakyDir}`, '--var', `lsan_report=${lsanReport}`, '--non-interactive', '--json'];
    const result = await runCli(args, { env: { RUNBOOK_STATE_DIR: stateDir, CI: 'true' }, timeout: 120_000 });
    const events = result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; step?: string; finding?: string; text?: string });
    const concluded = events.find((e) => e.type === 'session.concluded');
    expect(events.filter((e) => e.type === 'step.finished').map((e) => e.step), result.stderr).toEqual(
      ['before', 'wait', 'after', 'wait_more', 'later', 'regions', 'probe', 'judge', 'untraced', 'asan', 'lsan', 'audit', 'summary', 'c-heap-leak-untraced'],
    );
    expect(concluded?.finding).toBe('c-heap-leak');
    expect(concluded?.text).toContain(`Source audit: not freed where they are made: C.CString in main.registerNames (${leakyDir}/mode_cgo.go:${cstringLine}) is never freed there: no C.free of name in the function.`);
    expect(concluded?.text).toContain('LeakSanitizer: 16 MiB in 16 objects (direct) from hold_block (/_/leaky@/mode_cgo.go:27); 1 leaking stack, 16 MiB in all.');
  }, 180_000);
});
