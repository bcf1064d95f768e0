// Which allocator each mapping belongs to, so resident growth can be attributed
// (domain.md § "Resident vs virtual", § memory sources):
// - go_heap: Go's heap arenas (hint addresses c000…, `[anon: Go: heap]`); goroutine stacks
//   are spans inside them, so they count here (MemStats StackInuse splits them out).
// - glibc_heap: the brk `[heap]` of the main malloc arena.
// - glibc_arena: non-main malloc arenas, 64 MiB-aligned heap_info regions (rw-p + ---p).
// - thread_stack: `[stack]`, and a pthread stack: a small `---p` guard immediately below
//   an anonymous `rw-p` region (glibc maps the stack and mprotects its lowest page(s); 8 MiB
//   by default, of which a few KiB are resident).
// - other_anon: every other anonymous mapping (mallocs ≥ M_MMAP_THRESHOLD, Go's off-heap
//   runtime structures, other allocators).
// - file: file-backed mappings (binaries, libraries, mapped files).
// - other: [vdso], [vvar], [vsyscall] and the like.
import { Area, classifyMemoryAreas } from '../proc-maps/memory-areas.js';
import type { MapRegion } from '../proc-maps/region.js';
import type { MapsTable } from '../proc-maps/table.js';

export const REGION_CLASSES = ['go_heap', 'glibc_heap', 'glibc_arena', 'thread_stack', 'other_anon', 'file', 'other'] as const;
export type RegionClass = (typeof REGION_CLASSES)[number];

/** What each class is, in words a person reads in a conclusion. */
export const REGION_CLASS_LABELS: Record<RegionClass, string> = {
  go_heap: 'Go heap arenas',
  glibc_heap: 'glibc [heap] (brk)',
  glibc_arena: 'glibc malloc arenas',
  thread_stack: 'thread stacks',
  other_anon: 'other anonymous mappings',
  file: 'file-backed mappings',
  other: 'kernel-provided mappings',
};

/** glibc's guard is one page by default (pthread_attr_setguardsize can raise it). */
const MAX_GUARD_BYTES = 64 * 1024;
/** PTHREAD_STACK_MIN on x86-64 and arm64 is at most 128 KiB; 16 KiB is the smallest. */
const MIN_THREAD_STACK_BYTES = 16 * 1024;

function isGuard(region: MapRegion): boolean {
  return region.kind === 'anon' && region.perms === '---p' && region.kb * 1024 <= MAX_GUARD_BYTES;
}

function isStackBody(region: MapRegion): boolean {
  return region.kind === 'anon' && region.perms === 'rw-p' && region.kb * 1024 >= MIN_THREAD_STACK_BYTES;
}

/** One class per region; `regions` sorted by start address, as the kernel prints them, and `table` the same rows. */
export function classifyRegions(regions: readonly MapRegion[], table: MapsTable): RegionClass[] {
  const { area } = classifyMemoryAreas(table);
  const classes: RegionClass[] = new Array<RegionClass>(regions.length);
  for (let i = 0; i < regions.length; i++) {
    const region = regions[i]!;
    if (area[i] === Area.GoArena) classes[i] = 'go_heap';
    else if (area[i] === Area.GlibcArena) classes[i] = 'glibc_arena';
    else if (region.kind === 'heap') classes[i] = 'glibc_heap';
    else if (region.kind === 'stack') classes[i] = 'thread_stack';
    else if (region.kind === 'file') classes[i] = 'file';
    else if (region.kind === 'anon') classes[i] = 'other_anon';
    else classes[i] = 'other';
  }
  for (let i = 0; i + 1 < regions.length; i++) {
    const guard = regions[i]!;
    const body = regions[i + 1]!;
    if (classes[i] !== 'other_anon' || classes[i + 1] !== 'other_anon') continue;
    if (isGuard(guard) && isStackBody(body) && guard.end === body.start) {
      classes[i] = 'thread_stack';
      classes[i + 1] = 'thread_stack';
      i++;
    }
  }
  return classes;
}
