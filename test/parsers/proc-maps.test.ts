import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { procMapsParser } from '../../src/parsers/proc-maps.js';
import { PERMS } from '../../src/parsers/proc-maps/region.js';
import { regionArbitrary, renderMapsLine } from './render/maps-line.js';

const fixture = (path: string): string => readFileSync(new URL(`../fixtures/proc/${path}`, import.meta.url), 'utf8');
type Region = { start: string; end: string; size_kb: number; perms: string; offset: string; dev: string; inode: string; path: string; kind: string };
const regionsOf = (text: string): Region[] => procMapsParser.parse(text).facts.regions as Region[];

interface ProcfsMap {
  start: string;
  end: string;
  perms: { read: boolean; write: boolean; execute: boolean; shared: boolean; private: boolean };
  offset: number;
  devMajor: number;
  devMinor: number;
  inode: number;
  pathname: string;
}

/** Our region in the shape of prometheus/procfs's ProcMap (fixtures/proc/procfs/*.expected.json). */
function asProcfs(r: Region): ProcfsMap {
  const [major, minor] = r.dev.split(':');
  return {
    // procfs prints uintptr with %#x: no leading zeros.
    start: `0x${BigInt(`0x${r.start}`).toString(16)}`,
    end: `0x${BigInt(`0x${r.end}`).toString(16)}`,
    perms: { read: r.perms[0] === 'r', write: r.perms[1] === 'w', execute: r.perms[2] === 'x', shared: r.perms[3] === 's', private: r.perms[3] === 'p' },
    offset: Number(BigInt(`0x${r.offset}`)),
    devMajor: parseInt(major!, 16),
    devMinor: parseInt(minor!, 16),
    inode: Number(r.inode),
    pathname: r.path,
  };
}

describe('proc-maps: agreement with prometheus/procfs', () => {
  for (const pid of ['26232', '26234']) {
    it(`matches procfs's expectations for ${pid}/maps`, () => {
      const expected = JSON.parse(fixture(`procfs/${pid}/maps.expected.json`)) as ProcfsMap[];
      expect(regionsOf(fixture(`procfs/${pid}/maps`)).map(asProcfs)).toEqual(expected);
    });
  }

  it('keeps runs of spaces inside a path, where procfs (strings.Fields + Join) collapses them', () => {
    const regions = regionsOf(fixture('local/odd_paths/maps'));
    // procfs would report "/home/ops/src/app/odd maps/lib two spaces.so" (one space): wrong.
    expect(regions.map((r) => r.path)).toContain('/home/ops/src/app/odd maps/lib  two spaces.so');
    expect(regions.map((r) => r.path)).toContain('/home/ops/src/app/odd maps/new\\012line.bin (deleted)');
    expect(regions.map((r) => r.path)).toContain('/memfd:leaky-cache (deleted)');
  });
});

describe('proc-maps: real snapshots', () => {
  it('sums sizes by kind for the leaky cgo service (before)', () => {
    const { facts, warnings, error } = procMapsParser.parse(fixture('local/leaky_before/proc_maps.txt'));
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({
      mappings: 58,
      heap_kb: 132, // 35626000-35647000
      stack_kb: 132,
      file_kb: 7292,
      go_arena_kb: 4096, // c000000000-c000400000 rw-p
      go_arena_reserved_kb: 61440, // c000400000-c004000000 ---p
      glibc_arena_count: 4, // 7fa284…, 7fa288…, 7fa28c…, 7fa294…: 132 KiB rw-p + ---p = 64 MiB each
      glibc_arena_kb: 4 * 132,
      near_max_map_count: false,
      map_count_headroom: 65530 - 58,
    });
    expect((facts.total_kb as number) - (facts.reserved_kb as number)).toBeGreaterThan(facts.anon_kb as number);
  });

  it('classifies [heap], [stack], vdso, vvar, vsyscall, files and anonymous lines (anonymous ends in "0 ")', () => {
    const regions = regionsOf(fixture('procfs/26232/maps'));
    expect(regions.map((r) => r.kind)).toEqual(['file', 'file', 'heap', 'file', 'file', 'stack', 'vvar', 'vdso', 'vsyscall']);
    const odd = regionsOf(fixture('local/odd_paths/maps'));
    expect(odd.find((r) => r.start === '7f9c4e600000')).toMatchObject({ path: '', kind: 'anon', inode: '0' });
    expect(odd.find((r) => r.path === '[vvar_vclock]')?.kind).toBe('vvar');
  });

  it('keeps addresses above 2^53 exact', () => {
    const vsyscall = regionsOf(fixture('procfs/26232/maps')).at(-1)!;
    expect(vsyscall).toMatchObject({ start: 'ffffffffff600000', end: 'ffffffffff601000', size_kb: 4 });
  });

  it('names anonymous regions ([anon:name], [anon: Go: heap]) as anonymous', () => {
    const layers = regionsOf(fixture('public_snippets/heaplayers_pr52_anon_named_with_space.txt'));
    expect(layers.filter((r) => r.path === '[anon:Heap Layer]').map((r) => r.kind)).toEqual(Array(6).fill('anon'));
    const text = '7f0000000000-7f0004000000 rw-p 00000000 00:00 0                          [anon: Go: heap]\n';
    expect(procMapsParser.parse(text).facts).toMatchObject({ anon_kb: 65536, go_arena_kb: 65536 });
  });

  it('counts full glibc heaps that end a few pages short of their 64 MiB slot, and not a mapping that shares a slot', () => {
    // From leaky go-c-heap at rate 8 (the C side mallocs 64 KiB blocks from several threads):
    // a growing heap (rw-p + ---p), then three full heaps of 64 MiB − 44 KiB with nothing after them.
    const heaps = [
      '7fafd4000000-7fafd57d2000 rw-p 00000000 00:00 0',
      '7fafd57d2000-7fafd8000000 ---p 00000000 00:00 0',
      '7fafdc000000-7fafdfff5000 rw-p 00000000 00:00 0',
      '7fafe0000000-7fafe3ff5000 rw-p 00000000 00:00 0',
      '7fafe4000000-7fafe7ff5000 rw-p 00000000 00:00 0',
      // Not heaps: an aligned mapping with another inside its 64 MiB slot, and an aligned
      // 32 MiB one alone in its slot (a large malloc's own mmap).
      '7fafe8000000-7fafe8100000 rw-p 00000000 00:00 0',
      '7fafe8200000-7fafe8300000 rw-p 00000000 00:00 0',
      '7fafec000000-7fafee000000 rw-p 00000000 00:00 0',
    ].join('\n');
    const facts = procMapsParser.parse(`${heaps}\n`).facts;
    expect(facts).toMatchObject({ glibc_arena_count: 4, glibc_arena_kb: 0x17d2000 / 1024 + 3 * (0x3ff5000 / 1024) });
  });

  it('counts a Go heap arena at the c000000000 hint on mips64 (rwxp) and Go 1.25 decorated maps', () => {
    expect(procMapsParser.parse(fixture('public_snippets/issue43091_mips64_go_maps.txt')).facts.go_arena_kb).toBe(65536);
    const decorated = procMapsParser.parse(fixture('public_snippets/issue71546_go1.25_glibc_decorated_maps.txt')).facts;
    expect(decorated).toMatchObject({ go_arena_kb: 4096, glibc_arena_count: 1, glibc_arena_kb: 132 });
  });

  it('warns with line numbers on lines that are not maps lines, and keeps the rest', () => {
    const text = `${fixture('procfs/26234/maps')}garbage here\n08048000-08049000 r-xp\n`;
    const { facts, warnings } = procMapsParser.parse(text);
    expect(facts.mappings).toBe(4);
    expect(warnings.map((w) => w.line)).toEqual([5, 6]);
  });

  it('says near_max_map_count when the count is within 10% of vm.max_map_count', () => {
    const lines = Array.from({ length: 60_000 }, (_, i) => `${(0x10000 + i * 2).toString(16).padStart(8, '0')}000-${(0x10001 + i * 2).toString(16).padStart(8, '0')}000 rw-p 00000000 00:00 0 `);
    const { facts } = procMapsParser.parse(lines.join('\n'));
    expect(facts).toMatchObject({ mappings: 60_000, near_max_map_count: true, map_count_headroom: 5530 });
    expect(procMapsParser.parse(lines.join('\n'), { maxMapCount: 262_144 }).facts.near_max_map_count).toBe(false);
  });

  it('errors on empty input and on text that is not maps', () => {
    expect(procMapsParser.parse('').error?.code).toBe('empty');
    expect(procMapsParser.parse('{"json": true}').error?.code).toBe('unrecognised-format');
  });
});

describe('proc-maps: perms', () => {
  // The line scanner computes a spelling's index in PERMS from its four bytes: PERMS's order
  // is a contract this holds to, for every spelling the kernel can print.
  it('reads each of the 32 spellings back as itself, and refuses a near miss', () => {
    expect(PERMS).toHaveLength(32);
    const text = PERMS.map((perms, i) => `${(0x1000 * (i + 1)).toString(16)}-${(0x1000 * (i + 2)).toString(16)} ${perms} 00000000 00:00 0 `).join('\n');
    expect(regionsOf(`${text}\n`).map((r) => r.perms)).toEqual(PERMS);
    const parsed = procMapsParser.parse('1000-2000 rwxq 00000000 00:00 0 \n');
    expect(parsed.facts.regions).toEqual([]);
    expect(parsed.warnings).toEqual([expect.objectContaining({ line: 1 })]);
  });
});

describe('proc-maps: properties', () => {
  it('never throws on arbitrary text or bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => void procMapsParser.parse(text)));
    fc.assert(fc.property(fc.uint8Array(), (bytes) => void procMapsParser.parse(bytes)));
  });

  it('parse(render(regions)) gives the regions back, kernel padding or single spaces', () => {
    fc.assert(
      fc.property(fc.array(regionArbitrary, { maxLength: 20 }), fc.boolean(), (regions, padded) => {
        const text = regions.map((r) => renderMapsLine(r, padded)).join('\n');
        const { facts, warnings } = procMapsParser.parse(text);
        expect(warnings).toEqual([]);
        expect((facts.regions as Region[]).map((r) => ({ start: BigInt(`0x${r.start}`), end: BigInt(`0x${r.end}`), perms: r.perms, offset: BigInt(`0x${r.offset}`), dev: r.dev, inode: BigInt(r.inode), path: r.path }))).toEqual(
          regions.map((r) => ({
            start: r.start,
            end: r.end,
            perms: r.perms,
            offset: r.offset,
            dev: `${r.devMajor.toString(16).padStart(2, '0')}:${r.devMinor.toString(16).padStart(2, '0')}`,
            inode: r.inode,
            path: r.path,
          })),
        );
        expect(facts.total_kb).toBe(regions.reduce((sum, r) => sum + Number((r.end - r.start) >> 10n), 0));
      }),
    );
  });
});
