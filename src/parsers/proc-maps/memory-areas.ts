// Which anonymous regions belong to which allocator (domain.md § memory sources, "maps diff"):
// - Go heap arenas: the runtime reserves heap address space in 64 MiB arenas starting at
//   the hints `i<<40 | 0x00c0<<32` (i = 0…0x7f, runtime/malloc.go mallocinit on 64-bit) and
//   grows contiguously from the hint it got; Go ≥ 1.25 also names them `[anon: Go: heap]`.
// - glibc malloc arenas (non-main): each heap is a 64 MiB-aligned, 64 MiB mmap, `rw-p` as far
//   as it has grown and `---p` after (HEAP_MAX_SIZE = 2 × DEFAULT_MMAP_THRESHOLD_MAX on 64-bit);
//   a full one may end a few pages short of its slot, with no `---p` after it.
// - everything else anonymous (merged mmaps for mallocs ≥ 128 KiB, thread stacks, Go's own
//   side structures) stays plain anonymous.
import { isReservation, sizeKb, type Address, type MapRegion } from './region.js';

const ARENA_BYTES = 2 ** 26;
/** How far short of its slot a full glibc heap may end (44 KiB seen). */
const FULL_HEAP_SLACK_BYTES = 2 ** 20;
const GO_HINT_LOW = 0xc0 * 2 ** 32;
const GO_HINT_STRIDE = 2 ** 40;
/** Hints stop at 0x7fc000000000 (i < 0x80), far below 2^53: doubles are exact there. */
const GO_HINT_END = 0x80 * GO_HINT_STRIDE;

export interface GlibcArena {
  start: Address;
  /** `rw-p` part: the arena heap's grown size. */
  used_kb: number;
  reserved_kb: number;
}

export interface MemoryAreas {
  /** Indexes (into the region array) of regions inside Go's heap arenas. */
  goArena: Set<number>;
  glibcArenas: GlibcArena[];
  /** Indexes of the regions that make up glibc arenas. */
  glibcArenaRegions: Set<number>;
}

function isAnonymous(region: MapRegion): boolean {
  return region.kind === 'anon';
}

function isGoArenaHint(address: Address): boolean {
  return typeof address === 'number' && address < GO_HINT_END && address % GO_HINT_STRIDE === GO_HINT_LOW;
}

function isArenaAligned(address: Address): boolean {
  return typeof address === 'number' ? address % ARENA_BYTES === 0 : address % BigInt(ARENA_BYTES) === 0n;
}

function isGoNamedHeap(region: MapRegion): boolean {
  return region.path.startsWith('[anon: Go: heap');
}

/** `regions` sorted by start address, as the kernel prints them. */
export function classifyMemoryAreas(regions: readonly MapRegion[]): MemoryAreas {
  const goArena = new Set<number>();
  for (let i = 0; i < regions.length; i++) {
    const region = regions[i]!;
    if (isGoNamedHeap(region)) goArena.add(i);
    if (!isAnonymous(region) || !isGoArenaHint(region.start)) continue;
    goArena.add(i);
    // The arena run continues through address-contiguous anonymous regions.
    while (i + 1 < regions.length && isAnonymous(regions[i + 1]!) && regions[i + 1]!.start === regions[i]!.end) {
      i++;
      goArena.add(i);
    }
  }
  const glibcArenas: GlibcArena[] = [];
  const glibcArenaRegions = new Set<number>();
  for (let i = 0; i < regions.length; i++) {
    const head = regions[i]!;
    if (goArena.has(i) || !isAnonymous(head) || head.perms !== 'rw-p' || !isArenaAligned(head.start)) continue;
    // A heap owns its 64 MiB-aligned slot: `rw-p` as far as it has grown, `---p` for the
    // rest. A full heap can end a few pages short with nothing after it (seen: 64 MiB − 44 KiB,
    // three of them in a row, which an exact-64-MiB test counted as large mallocs).
    const slotEnd = BigInt(head.start) + BigInt(ARENA_BYTES);
    if (BigInt(head.end) > slotEnd) continue;
    const next = regions[i + 1];
    const tail = next !== undefined && !goArena.has(i + 1) && isAnonymous(next) && next.perms === '---p' && BigInt(next.start) === BigInt(head.end) && BigInt(next.end) <= slotEnd ? next : undefined;
    // Without its tail, only a heap grown to (nearly) the whole slot: a large malloc's own
    // mmap that happens to start on a 64 MiB boundary is not a heap.
    if (!tail && BigInt(head.end) < slotEnd - BigInt(FULL_HEAP_SLACK_BYTES)) continue;
    const after = regions[tail ? i + 2 : i + 1];
    if (after !== undefined && BigInt(after.start) < slotEnd) continue; // something else shares the slot
    glibcArenas.push({ start: head.start, used_kb: sizeKb(head), reserved_kb: tail ? sizeKb(tail) : 0 });
    glibcArenaRegions.add(i);
    if (tail) glibcArenaRegions.add(++i);
  }
  return { goArena, glibcArenas, glibcArenaRegions };
}

export interface AreaTotals {
  go_arena_kb: number;
  go_arena_reserved_kb: number;
  glibc_arena_count: number;
  glibc_arena_kb: number;
  glibc_arena_reserved_kb: number;
}

export function areaTotals(regions: readonly MapRegion[], areas: MemoryAreas): AreaTotals {
  let goUsed = 0;
  let goReserved = 0;
  for (const i of areas.goArena) {
    const region = regions[i]!;
    if (isReservation(region)) goReserved += sizeKb(region);
    else goUsed += sizeKb(region);
  }
  let glibcUsed = 0;
  let glibcReserved = 0;
  for (const arena of areas.glibcArenas) {
    glibcUsed += arena.used_kb;
    glibcReserved += arena.reserved_kb;
  }
  return {
    go_arena_kb: goUsed,
    go_arena_reserved_kb: goReserved,
    glibc_arena_count: areas.glibcArenas.length,
    glibc_arena_kb: glibcUsed,
    glibc_arena_reserved_kb: glibcReserved,
  };
}
