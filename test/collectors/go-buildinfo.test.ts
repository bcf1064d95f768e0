// Go build info as gops and debug/buildinfo read it, on real binaries: the test service
// as built and rewritten to the other layouts a reader meets (test/helpers/go-binaries.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGoVersion } from '../../src/collectors/go-buildinfo.js';
import { elfWithMagicOnly, writeGoBinaryVariants, type GoBinaryVariants } from '../helpers/go-binaries.js';
import { buildLeaky, goServiceSkipReason, installedGoVersion } from '../helpers/go-service.js';

describe('readGoVersion', () => {
  it('is undefined for non-Go executables and non-ELF files, null for missing files', async () => {
    expect(await readGoVersion(process.execPath)).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'runbook-elf-'));
    writeFileSync(join(dir, 'text'), 'not an ELF file\n');
    writeFileSync(join(dir, 'magic-only'), elfWithMagicOnly());
    expect(await readGoVersion(join(dir, 'text'))).toBeUndefined();
    expect(await readGoVersion(join(dir, 'magic-only'))).toBeUndefined();
    // A file that cannot be read is not "not Go": it is unknown (the process went away).
    expect(await readGoVersion(join(dir, 'absent'))).toBeNull();
  });

  describe.skipIf(goServiceSkipReason !== undefined)(`on the Go test service${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
    let variants: GoBinaryVariants;
    beforeAll(() => {
      variants = writeGoBinaryVariants(buildLeaky(), mkdtempSync(join(tmpdir(), 'runbook-elf-')));
    });

    it('reads the inline version string of a Go 1.18+ binary', async () => {
      expect(await readGoVersion(variants.inline)).toBe(installedGoVersion());
    });

    it('refuses a version that is not short printable text (it would be printed on the terminal)', async () => {
      expect(await readGoVersion(variants.escapeVersion)).toBeUndefined();
    });

    it('finds the build info without section headers, at the start of the writable segment', async () => {
      expect(await readGoVersion(variants.noSections)).toBe(installedGoVersion());
    });

    it('follows the pre-1.18 pointers to the runtime.buildVersion string header', async () => {
      expect(await readGoVersion(variants.pointerFormat)).toBe(installedGoVersion());
      expect(await readGoVersion(variants.danglingPointer)).toBeUndefined();
    });
  });
});
