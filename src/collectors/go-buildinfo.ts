// Recognises Go executables the way gops does (debug/buildinfo): the build info blob
// that the Go linker places at the start of the data segment, in the `.go.buildinfo`
// ELF section. Layout (go/src/debug/buildinfo/buildinfo.go):
//   "\xff Go buildinf:" (14 bytes), pointer size (1), flags (1: bit0 big-endian,
//   bit1 inline strings since Go 1.18), then either two varint-prefixed strings inline
//   at offset 32 (version, modinfo), or (before 1.18) at offset 16 two pointers to Go
//   string headers {data pointer, length} that must be resolved through the PT_LOAD
//   segments.
// The walk reads the file through `ByteRanges`, a handful of small reads, so the same
// code reads a local file and one on a remote target (targets/remote-reads.ts batches
// the reads of many executables into one round trip each).
import { closeSync, openSync, readSync } from 'node:fs';

/** `length` bytes of one file from `offset`; fewer at its end, none when unreadable. */
export type ByteRanges = (offset: bigint, length: number) => Promise<Buffer>;

const buildInfoMagic = Buffer.from('\xff Go buildinf:', 'latin1');
/** debug/buildinfo searches this much of the data segment for the magic. */
const searchBytes = 64 << 10;
/** Section header tables and name tables beyond this are not an executable's. */
const maxTableBytes = 1 << 20;

interface Segment {
  vaddr: bigint;
  offset: bigint;
  filesz: bigint;
  writable: boolean;
}

class ElfFile {
  constructor(
    readonly read: ByteRanges,
    readonly header: Buffer,
    readonly is64: boolean,
    readonly littleEndian: boolean,
  ) {}

  word(buffer: Buffer, at: number, size: number): bigint {
    if (size === 8) return this.littleEndian ? buffer.readBigUInt64LE(at) : buffer.readBigUInt64BE(at);
    if (size === 4) return BigInt(this.littleEndian ? buffer.readUInt32LE(at) : buffer.readUInt32BE(at));
    return BigInt(this.littleEndian ? buffer.readUInt16LE(at) : buffer.readUInt16BE(at));
  }

  /** A header field that is 8 bytes in ELF64 and 4 in ELF32, at its offset in each. */
  address(at64: number, at32: number): bigint {
    return this.is64 ? this.word(this.header, at64, 8) : this.word(this.header, at32, 4);
  }

  half(at64: number, at32: number): number {
    return Number(this.word(this.header, this.is64 ? at64 : at32, 2));
  }
}

/** What a build-info read found: the Go version; undefined, not a Go binary; null, the file
 *  could not be read (a process that exited mid-walk: its /proc/PID/exe reads as nothing). */
export type BuildInfoVersion = string | undefined | null;

/** Raised when a read inside the file comes back empty: the file went away. */
class Unreadable extends Error {}

/** Go version (e.g. `go1.19.8`) of the executable whose bytes `read` gives. Never throws. */
export async function goVersionOf(read: ByteRanges): Promise<BuildInfoVersion> {
  const readSome: ByteRanges = async (offset, length) => {
    const bytes = await read(offset, length);
    if (length > 0 && bytes.length === 0) throw new Unreadable();
    return bytes;
  };
  try {
    const header = await readSome(0n, 64);
    if (header.length < 52 || header.readUInt32BE(0) !== 0x7f454c46) return undefined;
    const elf = new ElfFile(readSome, header, header[4] === 2, header[5] === 1);
    const blob = await findBuildInfo(elf);
    return blob ? await decodeVersion(elf, blob) : undefined;
  } catch (error) {
    return error instanceof Unreadable ? null : undefined;
  }
}

/** Go version of the executable at a local `path` (e.g. /proc/PID/exe). */
export async function readGoVersion(path: string): Promise<BuildInfoVersion> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return await goVersionOf(async (offset, length) => {
      const buffer = Buffer.alloc(length);
      return buffer.subarray(0, readSync(fd, buffer, 0, length, Number(offset)));
    });
  } finally {
    closeSync(fd);
  }
}

async function readSegments(elf: ElfFile): Promise<Segment[]> {
  const phentsize = elf.half(54, 42);
  const phnum = elf.half(56, 44);
  if (phentsize * phnum > maxTableBytes) return [];
  const table = await elf.read(elf.address(32, 28), phentsize * phnum);
  const segments: Segment[] = [];
  for (let i = 0; i < phnum && (i + 1) * phentsize <= table.length; i++) {
    const at = i * phentsize;
    if (Number(elf.word(table, at, 4)) !== 1) continue; // PT_LOAD
    const flags = Number(elf.is64 ? elf.word(table, at + 4, 4) : elf.word(table, at + 24, 4));
    segments.push(
      elf.is64
        ? { offset: elf.word(table, at + 8, 8), vaddr: elf.word(table, at + 16, 8), filesz: elf.word(table, at + 32, 8), writable: (flags & 2) !== 0 }
        : { offset: elf.word(table, at + 4, 4), vaddr: elf.word(table, at + 8, 4), filesz: elf.word(table, at + 16, 4), writable: (flags & 2) !== 0 },
    );
  }
  return segments;
}

type Sections = { kind: 'none' } | { kind: 'buildinfo'; offset: bigint; size: bigint } | { kind: 'other' };

/** The `.go.buildinfo` section, if the file has section headers at all (sstrip removes them). */
async function buildInfoSection(elf: ElfFile): Promise<Sections> {
  const shoff = elf.address(40, 32);
  const shentsize = elf.half(58, 46);
  const shnum = elf.half(60, 48);
  const shstrndx = elf.half(62, 50);
  if (shoff === 0n || shnum === 0 || shstrndx >= shnum) return { kind: 'none' };
  if (shentsize * shnum > maxTableBytes) return { kind: 'other' };
  const table = await elf.read(shoff, shentsize * shnum);
  const field = (index: number, at64: number, at32: number): bigint =>
    elf.is64 ? elf.word(table, index * shentsize + at64, 8) : elf.word(table, index * shentsize + at32, 4);
  if ((shstrndx + 1) * shentsize > table.length) return { kind: 'other' };
  const namesSize = Number(field(shstrndx, 32, 20));
  if (namesSize > maxTableBytes) return { kind: 'other' };
  const names = await elf.read(field(shstrndx, 24, 16), namesSize);
  for (let i = 0; i < shnum && (i + 1) * shentsize <= table.length; i++) {
    const nameAt = Number(elf.word(table, i * shentsize, 4));
    const end = names.indexOf(0, nameAt);
    if (names.toString('latin1', nameAt, end < 0 ? names.length : end) === '.go.buildinfo') {
      return { kind: 'buildinfo', offset: field(i, 24, 16), size: field(i, 32, 20) };
    }
  }
  return { kind: 'other' };
}

async function findBuildInfo(elf: ElfFile): Promise<Buffer | undefined> {
  // With section headers, the section decides: the Go linker has always named it, so a
  // file without it is not Go, and its data segment need not be read (that read is what
  // a remote `ps` would otherwise pay for every non-Go process).
  const section = await buildInfoSection(elf);
  if (section.kind === 'other') return undefined;
  const start = section.kind === 'buildinfo' ? { offset: section.offset, size: section.size } : (await readSegments(elf)).find((s) => s.writable);
  if (start === undefined) return undefined;
  const size = 'size' in start ? start.size : start.filesz;
  const data = await elf.read(start.offset, Number(size < BigInt(searchBytes) ? size : BigInt(searchBytes)));
  for (let at = 0; at + 32 <= data.length; at += 16) {
    if (data.subarray(at, at + buildInfoMagic.length).equals(buildInfoMagic)) return data.subarray(at);
  }
  return undefined;
}

async function decodeVersion(elf: ElfFile, blob: Buffer): Promise<string | undefined> {
  const pointerSize = blob[14]!;
  const flags = blob[15]!;
  if ((flags & 2) !== 0) return readVarintString(blob, 32);
  // Pre-1.18: a pointer to a Go string header, both in the process's address space.
  if (pointerSize !== 4 && pointerSize !== 8) return undefined;
  const littleEndian = (flags & 1) === 0;
  const pointer = (buffer: Buffer, at: number): bigint =>
    pointerSize === 8 ? (littleEndian ? buffer.readBigUInt64LE(at) : buffer.readBigUInt64BE(at)) : BigInt(littleEndian ? buffer.readUInt32LE(at) : buffer.readUInt32BE(at));
  const segments = await readSegments(elf);
  const header = await readVirtual(elf, segments, pointer(blob, 16), 2 * pointerSize);
  if (!header) return undefined;
  const length = Number(pointer(header, pointerSize));
  if (length <= 0 || length > 128) return undefined;
  const bytes = await readVirtual(elf, segments, pointer(header, 0), length);
  return bytes === undefined ? undefined : plausibleVersion(bytes.toString('latin1'));
}

async function readVirtual(elf: ElfFile, segments: Segment[], address: bigint, length: number): Promise<Buffer | undefined> {
  const segment = segments.find((s) => address >= s.vaddr && address + BigInt(length) <= s.vaddr + s.filesz);
  if (!segment) return undefined;
  const bytes = await elf.read(segment.offset + (address - segment.vaddr), length);
  return bytes.length === length ? bytes : undefined;
}

function readVarintString(blob: Buffer, at: number): string | undefined {
  let length = 0;
  let shift = 0;
  let position = at;
  for (;;) {
    const byte = blob[position++];
    if (byte === undefined || shift > 28) return undefined;
    length |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
  }
  if (length === 0 || position + length > blob.length) return undefined;
  return plausibleVersion(blob.toString('latin1', position, position + length));
}

/** Versions are short printable ASCII (`go1.22.1`, `devel go1.23-abc… +0000`, `go1.21.0
 *  X:loopvar`). Anything else is not build info we trust, and it would be printed: a
 *  version with escape sequences could drive the engineer's terminal. */
function plausibleVersion(text: string): string | undefined {
  return /^[\x20-\x7e]{1,128}$/.test(text) ? text : undefined;
}
