// Recognises Go executables the way gops does (debug/buildinfo): the build info blob
// that the Go linker places at the start of the data segment, in the `.go.buildinfo`
// ELF section. Layout (go/src/debug/buildinfo/buildinfo.go):
//   "\xff Go buildinf:" (14 bytes), pointer size (1), flags (1: bit0 big-endian,
//   bit1 inline strings since Go 1.18), then either two varint-prefixed strings inline
//   at offset 32 (version, modinfo), or (before 1.18) at offset 16 two pointers to Go
//   string headers {data pointer, length} that must be resolved through the PT_LOAD
//   segments.
import { closeSync, openSync, readSync } from 'node:fs';

const buildInfoMagic = Buffer.from('\xff Go buildinf:', 'latin1');
/** debug/buildinfo searches this much of the data segment for the magic. */
const searchBytes = 64 << 10;

interface Segment {
  vaddr: bigint;
  offset: bigint;
  filesz: bigint;
  writable: boolean;
}

class ElfFile {
  constructor(
    private readonly fd: number,
    readonly is64: boolean,
    readonly littleEndian: boolean,
  ) {}

  read(offset: bigint | number, length: number): Buffer {
    const buffer = Buffer.alloc(length);
    const got = readSync(this.fd, buffer, 0, length, Number(offset));
    return buffer.subarray(0, got);
  }

  word(buffer: Buffer, at: number, size: number): bigint {
    if (size === 8) return this.littleEndian ? buffer.readBigUInt64LE(at) : buffer.readBigUInt64BE(at);
    if (size === 4) return BigInt(this.littleEndian ? buffer.readUInt32LE(at) : buffer.readUInt32BE(at));
    return BigInt(this.littleEndian ? buffer.readUInt16LE(at) : buffer.readUInt16BE(at));
  }
}

/** Go version (e.g. `go1.19.8`) of the executable at `path`, or undefined if it is not a Go binary or unreadable. */
export function readGoVersion(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const ident = Buffer.alloc(64);
    if (readSync(fd, ident, 0, 64, 0) < 52 || ident.readUInt32BE(0) !== 0x7f454c46) return undefined;
    const elf = new ElfFile(fd, ident[4] === 2, ident[5] === 1);
    const blob = findBuildInfo(elf, ident);
    return blob ? decodeVersion(elf, blob) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function readSegments(elf: ElfFile, header: Buffer): Segment[] {
  const phoff = elf.is64 ? elf.word(header, 32, 8) : elf.word(header, 28, 4);
  const phentsize = Number(elf.word(header, elf.is64 ? 54 : 42, 2));
  const phnum = Number(elf.word(header, elf.is64 ? 56 : 44, 2));
  const table = elf.read(phoff, phentsize * phnum);
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

/** File offset of `.go.buildinfo`, when the section headers survive (not stripped by sstrip). */
function buildInfoSectionOffset(elf: ElfFile, header: Buffer): bigint | undefined {
  const shoff = elf.is64 ? elf.word(header, 40, 8) : elf.word(header, 32, 4);
  const shentsize = Number(elf.word(header, elf.is64 ? 58 : 46, 2));
  const shnum = Number(elf.word(header, elf.is64 ? 60 : 48, 2));
  const shstrndx = Number(elf.word(header, elf.is64 ? 62 : 50, 2));
  if (shoff === 0n || shnum === 0 || shstrndx >= shnum) return undefined;
  const table = elf.read(shoff, shentsize * shnum);
  const field = (index: number, at64: number, at32: number): bigint =>
    elf.is64 ? elf.word(table, index * shentsize + at64, 8) : elf.word(table, index * shentsize + at32, 4);
  const names = elf.read(field(shstrndx, 24, 16), Number(field(shstrndx, 32, 20)));
  for (let i = 0; i < shnum && (i + 1) * shentsize <= table.length; i++) {
    const nameAt = Number(elf.word(table, i * shentsize, 4));
    const end = names.indexOf(0, nameAt);
    if (names.toString('latin1', nameAt, end < 0 ? names.length : end) === '.go.buildinfo') return field(i, 24, 16);
  }
  return undefined;
}

function findBuildInfo(elf: ElfFile, header: Buffer): Buffer | undefined {
  const start = buildInfoSectionOffset(elf, header) ?? readSegments(elf, header).find((s) => s.writable)?.offset;
  if (start === undefined) return undefined;
  const data = elf.read(start, searchBytes);
  for (let at = 0; at + 32 <= data.length; at += 16) {
    if (data.subarray(at, at + buildInfoMagic.length).equals(buildInfoMagic)) return data.subarray(at);
  }
  return undefined;
}

function decodeVersion(elf: ElfFile, blob: Buffer): string | undefined {
  const pointerSize = blob[14]!;
  const flags = blob[15]!;
  if ((flags & 2) !== 0) return readVarintString(blob, 32);
  // Pre-1.18: a pointer to a Go string header, both in the process's address space.
  if (pointerSize !== 4 && pointerSize !== 8) return undefined;
  const reader = new ElfFile(0, pointerSize === 8, (flags & 1) === 0);
  const versionHeaderAddress = reader.word(blob, 16, pointerSize);
  const header = readVirtual(elf, versionHeaderAddress, 2 * pointerSize);
  if (!header) return undefined;
  const dataAddress = reader.word(header, 0, pointerSize);
  const length = Number(reader.word(header, pointerSize, pointerSize));
  if (length <= 0 || length > 128) return undefined;
  return readVirtual(elf, dataAddress, length)?.toString('latin1');
}

function readVirtual(elf: ElfFile, address: bigint, length: number): Buffer | undefined {
  const header = elf.read(0, 64);
  const segment = readSegments(elf, header).find((s) => address >= s.vaddr && address + BigInt(length) <= s.vaddr + s.filesz);
  if (!segment) return undefined;
  const bytes = elf.read(segment.offset + (address - segment.vaddr), length);
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
  return blob.toString('latin1', position, position + length);
}
