import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { discoverRunbooks, resolveRunbook, runbookSearchPath, shippedRunbooksDir } from '../../src/runbook/discover.js';

const valid = resolve('test/fixtures/runbooks/valid');

describe('runbook discovery', () => {
  it('searches RUNBOOK_PATH directories first, then the package runbooks/ (found from the module, not the cwd)', () => {
    expect(runbookSearchPath({ RUNBOOK_PATH: '/a::/b' })).toEqual(['/a', '/b', shippedRunbooksDir]);
    expect(shippedRunbooksDir).toBe(`${resolve('runbooks')}/`);
  });

  it('lets an earlier directory override a runbook id', async () => {
    const override = mkdtempSync(join(tmpdir(), 'runbook-override-'));
    writeFileSync(join(override, 'mine.yaml'), 'id: go-memory\ntitle: Ours\nsummary: Team copy.\nsteps:\n  - id: one\n    note: { prompt: hi }\n');
    const found = await discoverRunbooks({ RUNBOOK_PATH: `${override}:${valid}` });
    expect(found.filter((runbook) => runbook.id === 'go-memory').map((runbook) => runbook.runbook?.title)).toEqual(['Ours']);
  });

  it('resolves an id, a path, and names an invalid runbook by its file name', async () => {
    const env = { RUNBOOK_PATH: valid };
    expect(await resolveRunbook('go-memory', env)).toBe(join(valid, 'go-memory.yaml'));
    expect(await resolveRunbook('test/fixtures/runbooks/valid/alias.yaml', env)).toBe('test/fixtures/runbooks/valid/alias.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'runbook-invalid-'));
    copyFileSync('test/fixtures/runbooks/broken/goto-missing.yaml', join(dir, 'half-written.yaml'));
    expect(await resolveRunbook('half-written', { RUNBOOK_PATH: dir })).toBe(join(dir, 'half-written.yaml'));
  });

  it('answers an unknown id with a UserError naming the known ids', async () => {
    const error = await resolveRunbook('go-memroy', { RUNBOOK_PATH: valid }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe("no runbook 'go-memroy' — did you mean 'go-memory'?");
    expect((error as UserError).hint).toMatch(/^known runbooks: .*\bgo-memory\b/);
  });
});
