// What the inputs form prefills for pprof: a picked process's own address beats the runbook's
// default port (which may be another process's), whether or not the runbook discovers pids.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRunbook } from '../../src/runbook/load.js';
import { inputFields } from '../../src/tui/input-fields.js';

const remoteSnapshot = fileURLToPath(new URL('../fixtures/targets/remote-snapshot.yaml', import.meta.url));
const goMemory = fileURLToPath(new URL('../../runbooks/go-memory.yaml', import.meta.url));

const pprofOf = (fields: ReturnType<typeof inputFields>): string | undefined => fields.find((f) => f.name === 'pprof')?.initial;

describe('the pprof field of the inputs form', () => {
  it("holds a picked process's own address on a runbook with a plain pid input", async () => {
    const runbook = await loadRunbook(remoteSnapshot);
    expect(pprofOf(inputFields(runbook, { replay: false, pid: 4242, pprof: 'http://127.0.0.1:43583' }))).toBe('http://127.0.0.1:43583');
  });

  it('is empty for a picked process that serves no pprof, not the default port', async () => {
    const runbook = await loadRunbook(remoteSnapshot);
    expect(pprofOf(inputFields(runbook, { replay: false, pid: 4242, pprof: null }))).toBe('');
  });

  it("keeps the runbook's default when no process was picked", async () => {
    const runbook = await loadRunbook(remoteSnapshot);
    expect(pprofOf(inputFields(runbook, { replay: false }))).toBe('http://127.0.0.1:1');
  });

  it("a replay does not ask the interval that only spaces live snapshots (a wait, a series' every)", async () => {
    const runbook = await loadRunbook(goMemory);
    const names = inputFields(runbook, { replay: true }).map((f) => f.name);
    expect(names).not.toContain('interval');
    expect(names).toEqual(expect.arrayContaining(['gctrace', 'min_growth_mb', 'snapshots']));
  });

  it('is left for the engine to find on a discover: go runbook with a pid given but no address known', async () => {
    const runbook = await loadRunbook(goMemory);
    expect(pprofOf(inputFields(runbook, { replay: false, pid: 4242 }))).toBe('');
  });
});
