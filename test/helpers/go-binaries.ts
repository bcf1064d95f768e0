// Copies of the Go test service's binary in the build-info layouts a reader must handle:
// as built (1.18+ inline strings), without section headers (found by searching the
// writable segment), rewritten to the pre-1.18 layout (pointers to runtime.buildVersion),
// and with a dangling pointer (not a crash, just no version).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const magic = Buffer.from('\xff Go buildinf:', 'latin1');

export interface GoBinaryVariants {
  inline: string;
  /** The inline version's bytes replaced by a terminal escape sequence of the same length. */
  escapeVersion: string;
  noSections: string;
  pointerFormat: string;
  danglingPointer: string;
}

export function writeGoBinaryVariants(binary: string, dir: string): GoBinaryVariants {
  const noSections = readFileSync(binary);
  noSections.writeBigUInt64LE(0n, 40); // e_shoff
  noSections.writeUInt16LE(0, 60); // e_shnum

  const symbols = spawnSync('go', ['tool', 'nm', binary], { encoding: 'utf8' }).stdout;
  const address = (name: string): bigint => BigInt(`0x${new RegExp(`^\\s*([0-9a-f]+) \\w ${name.replace('.', '\\.')}$`, 'm').exec(symbols)![1]}`);
  const pointerFormat = readFileSync(binary);
  const at = pointerFormat.indexOf(magic);
  pointerFormat[at + 15] = 0; // flags: little-endian, pointer format
  pointerFormat.writeBigUInt64LE(address('runtime.buildVersion'), at + 16);
  pointerFormat.writeBigUInt64LE(address('runtime.modinfo'), at + 24);
  const danglingPointer = Buffer.from(pointerFormat);

  const escapeVersion = readFileSync(binary);
  const versionAt = escapeVersion.indexOf(magic) + 33; // after the 32-byte header and a one-byte length
  const length = escapeVersion[versionAt - 1]!;
  Buffer.from('\x1b]0;PWN\x07'.padEnd(length, 'x'), 'latin1').copy(escapeVersion, versionAt, 0, length);
  danglingPointer.writeBigUInt64LE(0xdeadbeefn, at + 16);

  const variants = { inline: binary, escapeVersion: join(dir, 'escape-version'), noSections: join(dir, 'no-sections'), pointerFormat: join(dir, 'pointer-format'), danglingPointer: join(dir, 'dangling-pointer') };
  writeFileSync(variants.escapeVersion, escapeVersion);
  writeFileSync(variants.noSections, noSections);
  writeFileSync(variants.pointerFormat, pointerFormat);
  writeFileSync(variants.danglingPointer, danglingPointer);
  return variants;
}

/** An ELF header followed by the build-info magic, and nothing a reader can follow. */
export function elfWithMagicOnly(): Buffer {
  return Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]), Buffer.alloc(58), magic]);
}
