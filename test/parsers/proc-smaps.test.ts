import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { procSmapsParser } from '../../src/parsers/proc-smaps.js';
import { smapsDiffer } from '../../src/diffs/smaps.js';
import { procStatusParser } from '../../src/parsers/proc-status.js';
import { REGION_CLASSES } from '../../src/parsers/proc-smaps/region-class.js';

const fixture = (path: string): string => readFileSync(new URL(`../fixtures/proc/${path}`, import.meta.url), 'utf8');
type Facts = Record<string, unknown>;
const num = (facts: Facts, key: string): number => facts[key] as number;

/** One smaps entry, as the kernel prints it (fields the parser skips included). */
function entry(start: number, end: number, perms: string, path: string, rss: number, anon: number, swap = 0): string {
  const head = `${start.toString(16).padStart(8, '0')}-${end.toString(16).padStart(8, '0')} ${perms} 00000000 ${path.startsWith('/') ? 'fe:00 42' : '00:00 0'}`;
  const size = (end - start) / 1024;
  return [
    path === '' ? `${head} ` : `${head.padEnd(73)}${path}`,
    `Size:           ${String(size).padStart(8)} kB`,
    'KernelPageSize:        4 kB',
    `Rss:            ${String(rss).padStart(8)} kB`,
    `Pss:            ${String(rss).padStart(8)} kB`,
    `Private_Dirty:  ${String(anon).padStart(8)} kB`,
    `Anonymous:      ${String(anon).padStart(8)} kB`,
    'AnonHugePages:         0 kB',
    `Swap:           ${String(swap).padStart(8)} kB`,
    'SwapPss:               0 kB',
    'THPeligible:           0',
    'VmFlags: rd wr mr mw me ac sd ',
  ].join('\n');
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GO = 0xc000000000;
const ARENA = 0x7f0000000000; // 64 MiB-aligned
const STACKS = 0x7f1000000000;

/** A process with one region of every class; `threads` guarded 8 MiB stacks, each 8 KiB resident. */
function processSmaps(opts: { goRss: number; brkRss: number; arenaRss: number; threads: number; mallocRss: number }): string {
  const out = [
    entry(0x400000, 0x500000, 'r-xp', '/srv/app', 1024, 0),
    entry(0x1000000, 0x1000000 + 32 * MiB, 'rw-p', '[heap]', opts.brkRss, opts.brkRss),
    entry(GO, GO + 64 * MiB, 'rw-p', '', opts.goRss, opts.goRss),
    entry(ARENA, ARENA + 32 * MiB, 'rw-p', '', opts.arenaRss, opts.arenaRss),
    entry(ARENA + 32 * MiB, ARENA + 64 * MiB, '---p', '', 0, 0),
    entry(ARENA + 128 * MiB, ARENA + 160 * MiB, 'rw-p', '', opts.mallocRss, opts.mallocRss, 100),
  ];
  for (let t = 0; t < opts.threads; t++) {
    const guard = STACKS + t * (8 * MiB + 4 * KiB);
    out.push(entry(guard, guard + 4 * KiB, '---p', '', 0, 0), entry(guard + 4 * KiB, guard + 4 * KiB + 8 * MiB, 'rw-p', '', 8, 8));
  }
  out.push(entry(0x7ffff0000000, 0x7ffff0021000, 'rw-p', '[stack]', 12, 12), entry(0x7ffff7ffd000, 0x7ffff7fff000, 'r-xp', '[vdso]', 4, 0));
  return `${out.join('\n')}\n`;
}

describe('proc-smaps: classes of a real Go service (test service, c-heap mode)', () => {
  const facts = procSmapsParser.parse(fixture('local/leaky_after/proc_smaps.txt')).facts;
  const status = procStatusParser.parse(fixture('local/leaky_after/proc_status.txt')).facts;

  it('sums to what the kernel reports for the whole process (status, same moment)', () => {
    expect(num(facts, 'rss_kb')).toBe(num(status, 'vm_rss_kb'));
    expect(num(facts, 'anon_kb')).toBe(num(status, 'rss_anon_kb'));
    expect(num(facts, 'thread_stack_count')).toBe(num(status, 'threads'));
  });

  it('splits every KiB into exactly one class', () => {
    for (const measure of ['rss_kb', 'anon_kb', 'size_kb', 'mappings']) {
      const sum = REGION_CLASSES.reduce((total, cls) => total + num(facts, `${cls}_${measure}`), 0);
      expect(sum, measure).toBe(num(facts, measure));
    }
  });

  it('finds Go arenas, [heap], glibc arenas and guarded thread stacks where the maps file shows them', () => {
    expect(num(facts, 'go_heap_size_kb')).toBe(64 * 1024); // c000000000-c004000000
    expect(num(facts, 'glibc_heap_anon_kb')).toBe(16020);
    expect(num(facts, 'glibc_arena_mappings')).toBe(20); // ten rw-p + ---p heap_info pairs
    // Ten 8 MiB pthread stacks with their guard pages, plus the main thread's [stack].
    expect(num(facts, 'thread_stack_size_kb')).toBe(10 * (8192 + 4) + 132);
    expect(num(facts, 'thread_stack_anon_kb')).toBeLessThan(200);
    const largest = facts['largest_resident'] as Facts[];
    expect(largest[0]).toMatchObject({ start: 'c000600000', class: 'go_heap' });
  });

  it('agrees with the kernel rollup of the same process (prometheus/procfs fixture 26231)', () => {
    const smaps = procSmapsParser.parse(fixture('procfs/26231/smaps')).facts;
    const rollup = fixture('procfs/26231/smaps_rollup');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)![1]);
    expect([num(smaps, 'rss_kb'), num(smaps, 'anon_kb'), num(smaps, 'swap_kb')]).toEqual([field('Rss'), field('Anonymous'), field('Swap')]);
  });
});

describe('proc-smaps: classifier', () => {
  it('puts each region shape in its class', () => {
    const facts = procSmapsParser.parse(processSmaps({ goRss: 40 * 1024, brkRss: 3000, arenaRss: 5000, threads: 3, mallocRss: 7000 })).facts;
    expect(facts).toMatchObject({
      go_heap_anon_kb: 40 * 1024,
      glibc_heap_anon_kb: 3000,
      glibc_arena_anon_kb: 5000,
      glibc_arena_size_kb: 64 * 1024,
      other_anon_anon_kb: 7000,
      other_anon_swap_kb: 100,
      thread_stack_count: 4,
      thread_stack_anon_kb: 3 * 8 + 12,
      thread_stack_size_kb: 3 * (8192 + 4) + 132,
      file_rss_kb: 1024,
      other_rss_kb: 4,
    });
  });

  it('does not take a glibc arena tail or a large reservation for a thread guard', () => {
    // 512 KiB PROT_NONE below a rw-p region (Go's page allocator does this): not a guard.
    const text = `${entry(0x7f2000000000, 0x7f2000080000, '---p', '', 0, 0)}\n${entry(0x7f2000080000, 0x7f2000100000, 'rw-p', '', 64, 64)}\n`;
    expect(procSmapsParser.parse(text).facts).toMatchObject({ thread_stack_count: 0, other_anon_anon_kb: 64 });
  });

  it('reads the same from text and bytes, with CRLF line ends', () => {
    const text = processSmaps({ goRss: 100, brkRss: 200, arenaRss: 300, threads: 1, mallocRss: 400 });
    const fromText = procSmapsParser.parse(text).facts;
    expect(procSmapsParser.parse(new TextEncoder().encode(text)).facts).toEqual(fromText);
    expect(procSmapsParser.parse(text.replace(/\n/g, '\r\n')).facts).toEqual(fromText);
  });
});

describe('proc-smaps: bad input', () => {
  it('says what it got instead of smaps', () => {
    expect(procSmapsParser.parse('').error?.code).toBe('empty');
    const maps = procSmapsParser.parse(fixture('local/leaky_after/proc_maps.txt'));
    expect(maps.error).toMatchObject({ code: 'unrecognised-format', message: expect.stringContaining('looks like /proc/PID/maps') });
    expect(procSmapsParser.parse('{"Rss": 4}').error?.code).toBe('unrecognised-format');
  });

  it('warns on a field that is not "N kB" and keeps the rest', () => {
    const text = entry(0x1000, 0x3000, 'rw-p', '', 8, 8).replace('Anonymous:             8 kB', 'Anonymous:   eight kB');
    const result = procSmapsParser.parse(text);
    expect(result.error).toBeUndefined();
    expect(result.facts).toMatchObject({ rss_kb: 8, anon_kb: 0 });
    expect(result.warnings[0]).toMatchObject({ line: 7, message: expect.stringContaining('Anonymous is not "N kB"') });
  });

  it('never throws, whatever it is given', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => void procSmapsParser.parse(text)));
    fc.assert(fc.property(fc.uint8Array(), (bytes) => void procSmapsParser.parse(bytes)));
    const lines = fc.array(fc.constantFrom('Rss: 4 kB', 'Anonymous: 4 kB', 'Swap:', '1000-2000 rw-p 00000000 00:00 0', 'c0-', 'Rss:  99999999999999999999 kB', ''), { maxLength: 30 });
    fc.assert(fc.property(lines, (ls) => void smapsDiffer.diff(ls.join('\n'), ls.reverse().join('\n'))));
  });
});

describe('smaps diff: resident growth per class, virtual size apart', () => {
  it('counts six new thread stacks as 48 MiB of address space and a few KiB of memory (test service fixture)', () => {
    const diff = smapsDiffer.diff(fixture('local/leaky_before/proc_smaps.txt'), fixture('local/leaky_after/proc_smaps.txt'));
    expect(diff.error).toBeUndefined();
    const f = diff.facts;
    expect(num(f, 'thread_stack_count_delta')).toBe(6);
    expect(num(f, 'thread_stack_size_kb_delta')).toBe(6 * (8192 + 4));
    expect(num(f, 'thread_stack_anon_kb_delta')).toBeLessThan(100);
    const before = procStatusParser.parse(fixture('local/leaky_before/proc_status.txt')).facts;
    const after = procStatusParser.parse(fixture('local/leaky_after/proc_status.txt')).facts;
    expect(num(f, 'anon_kb_delta')).toBe(num(after, 'rss_anon_kb') - num(before, 'rss_anon_kb'));
    const classes = f['grown_classes'] as Facts[];
    expect(classes.map((c) => c['class'])).toEqual(['glibc_arena', 'go_heap', 'glibc_heap', 'other_anon', 'thread_stack', 'file'].filter((c) => classes.some((x) => x['class'] === c)));
    expect(classes[0]).toMatchObject({ class: 'glibc_arena', label: 'glibc malloc arenas', held_kb_delta: num(f, 'glibc_arena_anon_kb_delta') });
  });

  it('attributes growth to the class that grew, across sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 0, max: 40 }), (go, malloc, threads) => {
        const base = { goRss: 1000, brkRss: 1000, arenaRss: 1000, threads: 2, mallocRss: 1000 };
        const f = smapsDiffer.diff(processSmaps(base), processSmaps({ ...base, goRss: 1000 + go, mallocRss: 1000 + malloc, threads: 2 + threads })).facts;
        expect(num(f, 'go_heap_anon_kb_delta')).toBe(go);
        expect(num(f, 'other_anon_anon_kb_delta')).toBe(malloc);
        expect(num(f, 'thread_stack_count_delta')).toBe(threads);
        expect(num(f, 'thread_stack_anon_kb_delta')).toBe(8 * threads);
        expect(num(f, 'thread_stack_size_kb_delta')).toBe(threads * (8192 + 4));
        expect(num(f, 'held_kb_delta')).toBe(go + malloc + 8 * threads);
        const regions = f['grown_regions'] as Facts[];
        // Listed largest first, so above every 8 KiB stack once it is larger.
        if (go > 8) expect(regions.find((r) => r['class'] === 'go_heap')).toMatchObject({ status: 'changed', start: 'c000000000', held_kb_delta: go });
      }),
      { numRuns: 40 },
    );
  });
});
