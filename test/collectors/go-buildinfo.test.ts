// Go build info as gops and debug/buildinfo read it, on real binaries: the test service
// as built (1.18+ inline strings), the same without section headers (the data-segment
// search), and rewritten to the pre-1.18 layout (pointers to runtime.buildVersion).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGoVersion } from '../../src/collectors/go-buildinfo.js';
import { buildLeaky, goServiceSkipReason, installedGoVersion } from '../helpers/go-service.js';

const magic = Buffer.from('\xff Go buildinf:', 'latin1');

describe('readGoVersion', () => {
  it('is undefined for non-Go executables, non-ELF files and missing files', () => {
    expect(readGoVersion(process.execPath)).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'runbook-elf-'));
    writeFileSync(join(dir, 'text'), 'not an ELF file\n');
    writeFileSync(join(dir, 'magic-only'), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]), Buffer.alloc(58), magic]));
    expect(readGoVersion(join(dir, 'text'))).toBeUndefined();
    expect(readGoVersion(join(dir, 'magic-only'))).toBeUndefined();
    expect(readGoVersion(join(dir, 'absent'))).toBeUndefined();
  });

  describe.skipIf(goServiceSkipReason !== undefined)(`on the Go test service${goServiceSkipReason ? ` (skipped: ${goServiceSkipReason})` : ''}`, () => {
    let binary = '';
    let dir = '';
    beforeAll(() => {
      binary = buildLeaky();
      dir = mkdtempSync(join(tmpdir(), 'runbook-elf-'));
    });

    it('reads the inline version string of a Go 1.18+ binary', () => {
      expect(readGoVersion(binary)).toBe(installedGoVersion());
    });

    it('finds the build info without section headers, at the start of the writable segment', () => {
      const bytes = readFileSync(binary);
      bytes.writeBigUInt64LE(0n, 40); // e_shoff
      bytes.writeUInt16LE(0, 60); // e_shnum
      const stripped = join(dir, 'no-sections');
      writeFileSync(stripped, bytes);
      expect(readGoVersion(stripped)).toBe(installedGoVersion());
    });

    it('follows the pre-1.18 pointers to the runtime.buildVersion string header', () => {
      const symbols = spawnSync('go', ['tool', 'nm', binary], { encoding: 'utf8' }).stdout;
      const address = (name: string): bigint => BigInt(`0x${new RegExp(`^\\s*([0-9a-f]+) \\w ${name.replace('.', '\\.')}$`, 'm').exec(symbols)![1]}`);
      const bytes = readFileSync(binary);
      const at = bytes.indexOf(magic);
      bytes[at + 15] = 0; // flags: little-endian, pointer format
      bytes.writeBigUInt64LE(address('runtime.buildVersion'), at + 16);
      bytes.writeBigUInt64LE(address('runtime.modinfo'), at + 24);
      const old = join(dir, 'pointer-format');
      writeFileSync(old, bytes);
      expect(readGoVersion(old)).toBe(installedGoVersion());
      // A dangling pointer is not a crash, just not a version.
      bytes.writeBigUInt64LE(0xdeadbeefn, at + 16);
      writeFileSync(old, bytes);
      expect(readGoVersion(old)).toBeUndefined();
    });
  });
});
