// Which anonymous regions belong to which allocator (domain.md § memory sources, "maps diff"):
// - Go heap arenas: the runtime reserves heap address space in 64 MiB arenas starting at
//   the hints `i<<40 | 0x00c0<<32` (i = 0…0x7f, runtime/malloc.go mallocinit on 64-bit) and
//   grows contiguously from the hint it got; Go ≥ 1.25 also names them `[anon: Go: heap]`.
// - glibc malloc arenas (non-main): each heap is a 64 MiB-aligned, 64 MiB mmap, `rw-p` as far
//   as it has grown and `---p` after (HEAP_MAX_SIZE = 2 × DEFAULT_MMAP_THRESHOLD_MAX on 64-bit);
//   a full one may end a few pages short of its slot, with no `---p` after it.
// - everything else anonymous (merged mmaps for mallocs ≥ 128 KiB, thread stacks, Go's own
//   side structures) stays plain anonymous.
import type { Address } from './region.js';
import type { MapsTable } from './table.js';

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

/** What a region is part of (MemoryAreas.area): nothing, a Go heap arena, a glibc malloc arena. */
export const Area = { None: 0, GoArena: 1, GlibcArena: 2 } as const;

export interface MemoryAreas {
  /** Area of each row of the table. */
  area: Uint8Array;
  glibcArenas: GlibcArena[];
}

function isGoArenaHint(address: Address): boolean {
  return typeof address === 'number' && address < GO_HINT_END && address % GO_HINT_STRIDE === GO_HINT_LOW;
}

function isArenaAligned(address: Address): boolean {
  return typeof address === 'number' ? address % ARENA_BYTES === 0 : address % BigInt(ARENA_BYTES) === 0n;
}

/** Such a path is anonymous by its kind (`[anon…`), so only anonymous rows' paths are read. */
function isGoNamedHeap(regions: MapsTable, i: number): boolean {
  return regions.isAnon(i) && regions.path(i).startsWith('[anon: Go: heap');
}

/** `regions` sorted by start address, as the kernel prints them. */
export function classifyMemoryAreas(regions: MapsTable): MemoryAreas {
  // One function per pass over the rows: V8 compiles a hot loop on its own, and code after
  // it that has not run yet would throw that compiled code away (`node --trace-deopt`).
  const area = goArenaRows(regions);
  return { area, glibcArenas: glibcArenaHeaps(regions, area) };
}

/** Go's heap arenas, marked in a new area column. */
function goArenaRows(regions: MapsTable): Uint8Array {
  const n = regions.count;
  const area = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (isGoNamedHeap(regions, i)) area[i] = Area.GoArena;
    if (!regions.isAnon(i) || !isGoArenaHint(regions.start(i))) continue;
    area[i] = Area.GoArena;
    // The arena run continues through address-contiguous anonymous regions.
    while (i + 1 < n && regions.isAnon(i + 1) && regions.start(i + 1) === regions.end(i)) {
      i++;
      area[i] = Area.GoArena;
    }
  }
  return area;
}

/** glibc's arena heaps outside Go's arenas; their rows are marked in `area`. */
function glibcArenaHeaps(regions: MapsTable, area: Uint8Array): GlibcArena[] {
  const n = regions.count;
  const glibcArenas: GlibcArena[] = [];
  for (let i = 0; i < n; i++) {
    if (area[i] === Area.GoArena || !regions.isAnon(i) || regions.perms(i) !== 'rw-p' || !isArenaAligned(regions.start(i))) continue;
    // A heap owns its 64 MiB-aligned slot: `rw-p` as far as it has grown, `---p` for the
    // rest. A full heap can end a few pages short with nothing after it (seen: 64 MiB − 44 KiB,
    // three of them in a row, which an exact-64-MiB test counted as large mallocs).
    const slotEnd = BigInt(regions.start(i)) + BigInt(ARENA_BYTES);
    const headEnd = BigInt(regions.end(i));
    if (headEnd > slotEnd) continue;
    const next = i + 1;
    const hasTail = next < n && area[next] !== Area.GoArena && regions.isAnon(next) && regions.perms(next) === '---p' && BigInt(regions.start(next)) === headEnd && BigInt(regions.end(next)) <= slotEnd;
    // Without its tail, only a heap grown to (nearly) the whole slot: a large malloc's own
    // mmap that happens to start on a 64 MiB boundary is not a heap.
    if (!hasTail && headEnd < slotEnd - BigInt(FULL_HEAP_SLACK_BYTES)) continue;
    const after = hasTail ? i + 2 : i + 1;
    if (after < n && BigInt(regions.start(after)) < slotEnd) continue; // something else shares the slot
    glibcArenas.push({ start: regions.start(i), used_kb: regions.kb(i), reserved_kb: hasTail ? regions.kb(next) : 0 });
    area[i] = Area.GlibcArena;
    if (hasTail) area[++i] = Area.GlibcArena;
  }
  return glibcArenas;
}

export interface AreaTotals {
  go_arena_kb: number;
  go_arena_reserved_kb: number;
  glibc_arena_count: number;
  glibc_arena_kb: number;
  glibc_arena_reserved_kb: number;
}

export function areaTotals(regions: MapsTable, areas: MemoryAreas): AreaTotals {
  const go = goArenaKb(regions, areas.area);
  let glibcUsed = 0;
  let glibcReserved = 0;
  for (const arena of areas.glibcArenas) {
    glibcUsed += arena.used_kb;
    glibcReserved += arena.reserved_kb;
  }
  return {
    go_arena_kb: go.used,
    go_arena_reserved_kb: go.reserved,
    glibc_arena_count: areas.glibcArenas.length,
    glibc_arena_kb: glibcUsed,
    glibc_arena_reserved_kb: glibcReserved,
  };
}

/** KiB of Go's arenas, usable and PROT_NONE-reserved (a pass of its own, as above). */
function goArenaKb(regions: MapsTable, area: Uint8Array): { used: number; reserved: number } {
  let used = 0;
  let reserved = 0;
  for (let i = 0; i < regions.count; i++) {
    if (area[i] !== Area.GoArena) continue;
    if (regions.isReservation(i)) reserved += regions.kb(i);
    else used += regions.kb(i);
  }
  return { used, reserved };
}
