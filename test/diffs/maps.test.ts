import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { mapsDiffer } from '../../src/diffs/maps.js';
import { getDiffer } from '../../src/diffs/registry.js';
import { regionArbitrary, renderMapsLine } from '../parsers/render/maps-line.js';

const fixture = (path: string): string => readFileSync(new URL(`../fixtures/proc/${path}`, import.meta.url), 'utf8');
type Change = { start: string; end: string; area: string; path: string; before_kb: number; after_kb: number; delta_kb: number };

describe('maps diff: the leaky cgo service (Go heap and C heap both leaking)', () => {
  const { facts, warnings, error } = mapsDiffer.diff(fixture('local/leaky_before/proc_maps.txt'), fixture('local/leaky_after/proc_maps.txt'));

  it('parses both snapshots cleanly', () => {
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({ mappings_before: 58, mappings_after: 86, mapping_count_delta: 28 });
  });

  it("shows Go's arena growth (c000000000: 4 MiB usable → 32 MiB, same 64 MiB reservation)", () => {
    expect(facts).toMatchObject({ go_arena_kb_before: 4096, go_arena_kb_after: 32768, arena_growth_kb: 28672 });
    const grown = facts.grown_regions as Change[];
    expect(grown[0]).toEqual({ start: 'c000000000', end: 'c004000000', area: 'go-arena', path: '', before_kb: 4096, after_kb: 32768, delta_kb: 28672 });
  });

  it('shows the C heap: [heap] (brk) growth and glibc arenas appearing and growing in place', () => {
    expect(facts).toMatchObject({ heap_kb_before: 132, heap_kb_after: 16100, heap_growth_kb: 15968 });
    expect(facts).toMatchObject({ glibc_arena_count_before: 4, glibc_arena_count_after: 10, glibc_arena_growth_kb: 48456 });
    // The four leaking threads malloc'd ~64 MB between them: one in the main arena, three in their own.
    expect(facts.c_heap_growth_kb).toBe(15968 + 48456);
    const grown = facts.grown_regions as Change[];
    // 7fa284000000: 132 KiB rw-p + ---p before, 16020 KiB rw-p + ---p after: one region, grown in place.
    expect(grown).toContainEqual({ start: '7fa284000000', end: '7fa288000000', area: 'glibc-arena', path: '', before_kb: 132, after_kb: 16020, delta_kb: 15888 });
    expect(grown).toContainEqual(expect.objectContaining({ area: 'heap', path: '[heap]', delta_kb: 15968 }));
  });

  it('lists new regions largest first, with an arena head and its PROT_NONE tail as one region', () => {
    const added = facts.new_regions as Change[];
    expect(added.map((c) => c.delta_kb)).toEqual([...added.map((c) => c.delta_kb)].sort((x, y) => y - x));
    expect(added).toContainEqual({ start: '7fa264000000', end: '7fa268000000', area: 'glibc-arena', path: '', before_kb: 0, after_kb: 132, delta_kb: 132 });
    expect(facts.removed_region_count).toBe(0);
  });

  it('anonymous growth is the sum of Go arena, glibc arena and other anonymous growth', () => {
    expect(facts.anon_growth_kb).toBe((facts.arena_growth_kb as number) + (facts.glibc_arena_growth_kb as number) + (facts.other_anon_growth_kb as number));
    // Six new 8 MiB thread stacks (LockOSThread'd leakers + runtime) and 40 × 256 KiB mmap'd mallocs.
    expect(facts.other_anon_growth_kb).toBeGreaterThan(40 * 256);
  });

  it('is registered as "maps"', () => {
    expect(getDiffer('maps')).toBe(mapsDiffer);
  });
});

describe('maps diff: mechanics', () => {
  it('reads one address one way however it is spelled: zero-padded 16 digits, short, and beyond 2^53', () => {
    // An arena head spelled with 16 digits and its tail with 12 must still meet end to start.
    const arena = ['00007f0000000000-00007f0000021000 rw-p 00000000 00:00 0', '7f0000021000-7f0004000000 ---p 00000000 00:00 0'];
    const vsyscall = 'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]';
    const before = [...arena, vsyscall].join('\n');
    const after = ['7f0000000000-7f0000021000 rw-p 00000000 00:00 0', '00007f0000021000-00007f0004000000 ---p 00000000 00:00 0', vsyscall].join('\n');
    const { facts, error } = mapsDiffer.diff(before, after);
    expect(error).toBeUndefined();
    expect(facts).toMatchObject({ glibc_arena_count_before: 1, glibc_arena_count_after: 1, glibc_arena_kb_before: 132, total_kb_delta: 0 });
    expect(facts).toMatchObject({ new_region_count: 0, removed_region_count: 0, grown_region_count: 0, shrunk_region_count: 0 });
  });

  it('the public golang/go#11035 snippet: a 64 MiB arena whose rw- part grows is growth, not a new mapping', () => {
    const snippet = fixture('public_snippets/issue11035_cgo_leak_maps_diff.txt').split('\n');
    const side = (mark: string): string => snippet.filter((l) => l.startsWith(mark)).map((l) => l.slice(2)).join('\n');
    const { facts } = mapsDiffer.diff(side('<'), side('>'));
    expect(facts).toMatchObject({ glibc_arena_count_before: 1, glibc_arena_count_after: 1, new_region_count: 0, mapping_count_delta: 0, total_kb_delta: 0 });
    expect(facts.glibc_arena_growth_kb).toBe((0x24e7000 - 0x238e000) / 1024);
    expect(facts.anon_growth_kb).toBe(facts.glibc_arena_growth_kb);
  });

  it('matches merged anonymous VMAs by overlap: two regions before, one after', () => {
    const before = '7f0000000000-7f0000100000 rw-p 00000000 00:00 0 \n7f0000200000-7f0000300000 rw-p 00000000 00:00 0 \n';
    const after = '7f0000000000-7f0000300000 rw-p 00000000 00:00 0 \n';
    const { facts } = mapsDiffer.diff(before, after);
    expect(facts).toMatchObject({ new_region_count: 0, removed_region_count: 0, grown_region_count: 1, anon_growth_kb: 1024, mapping_count_delta: -1 });
    expect((facts.grown_regions as Change[])[0]).toMatchObject({ start: '7f0000000000', end: '7f0000300000', before_kb: 2048, after_kb: 3072 });
  });

  it('reports removed regions and bounds the lists', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `7f00${(i * 2).toString(16).padStart(2, '0')}000000-7f00${(i * 2 + 1).toString(16).padStart(2, '0')}000000 rw-p 00000000 00:00 0 `);
    const { facts } = mapsDiffer.diff(lines.join('\n'), lines[0]!, { listLimit: 5 });
    expect(facts.removed_region_count).toBe(29);
    expect(facts.removed_regions).toHaveLength(5);
  });

  it('an unparseable side is an error naming that side', () => {
    expect(mapsDiffer.diff(fixture('procfs/26232/maps'), 'nonsense').error).toMatchObject({ code: 'unrecognised-format', message: expect.stringMatching(/^after:/) });
  });

  it('never throws on arbitrary text or bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => void mapsDiffer.diff(a, b)));
    fc.assert(fc.property(fc.uint8Array(), fc.uint8Array(), (a, b) => void mapsDiffer.diff(a, b)));
  });

  it('a snapshot diffed with itself shows no change; usable growth adds up to the anonymous delta', () => {
    const sorted = fc.array(regionArbitrary, { maxLength: 15 }).map((rs) => rs.sort((x, y) => (x.start < y.start ? -1 : 1)));
    fc.assert(
      fc.property(sorted, sorted, (a, b) => {
        const textA = a.map((r) => renderMapsLine(r, true)).join('\n');
        const textB = b.map((r) => renderMapsLine(r, true)).join('\n');
        const same = mapsDiffer.diff(textA, textA).facts;
        expect([same.anon_growth_kb, same.total_kb_delta, same.grown_region_count, same.new_region_count]).toEqual([0, 0, 0, 0]);
        const d = mapsDiffer.diff(textA, textB).facts;
        expect(d.mapping_count_delta).toBe(b.length - a.length);
      }),
    );
  });
});
