// `runbook list` reads the shipped runbooks' headers from the index the build writes: it must
// say exactly what loading and validating each file says, and a file whose bytes differ
// from the indexed ones (an edit, a copy with a change) must be loaded in full.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runbookFilesIn, shippedRunbooksDir } from '../../src/runbook/discover.js';
import { headerOf, runbookHeader } from '../../src/runbook/headers.js';
import { loadRunbookFile } from '../../src/runbook/load.js';
import { repoRoot } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'runbook-headers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runbook headers', () => {
  it('the built index holds every shipped runbook, as loading it says', async () => {
    const index = JSON.parse(readFileSync(join(repoRoot, 'dist', 'runbook-headers.json'), 'utf8')) as Array<{ id: string }>;
    const files = await runbookFilesIn(shippedRunbooksDir);
    expect(index.map((entry) => entry.id).sort()).toEqual((await Promise.all(files.map(async (f) => (await loadRunbookFile(f)).runbook!.id))).sort());
    for (const file of files) expect(await runbookHeader(file)).toEqual(headerOf(await loadRunbookFile(file)));
  });

  it('an edited copy of a shipped runbook is loaded, not looked up', async () => {
    const [shipped] = await runbookFilesIn(shippedRunbooksDir);
    const copy = join(dir, 'edited.yaml');
    // Same size, other bytes: the title's first letter changed case.
    writeFileSync(copy, readFileSync(shipped!, 'utf8').replace(/^title: (.)/m, (_, c: string) => `title: ${c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()}`));
    const header = await runbookHeader(copy);
    expect(header).toEqual(headerOf(await loadRunbookFile(copy)));
    expect(header.title).not.toBe((await runbookHeader(shipped!)).title);
  });

  it('an invalid file counts its problems', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'id: bad\ntitle: x\n');
    const header = await runbookHeader(bad);
    expect(header).toMatchObject({ id: null, title: null });
    expect(header.problems).toBe((await loadRunbookFile(bad)).problems.length);
    expect(header.problems).toBeGreaterThan(0);
  });
});
