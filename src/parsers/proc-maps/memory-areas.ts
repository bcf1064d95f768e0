// Which anonymous regions belong to which allocator (domain.md § memory sources, "maps diff"):
// - Go heap arenas: the runtime reserves heap address space in 64 MiB arenas starting at
//   the hints `i<<40 | 0x00c0<<32` (i = 0…0x7f, runtime/malloc.go mallocinit on 64-bit) and
//   grows contiguously from the hint it got; Go ≥ 1.25 also names them `[anon: Go: heap]`.
// - glibc malloc arenas (non-main): each heap is a 64 MiB-aligned, 64 MiB mmap, `rw-p` as far
//   as it has grown and `---p` after (HEAP_MAX_SIZE = 2 × DEFAULT_MMAP_THRESHOLD_MAX on 64-bit);
//   a full one may end a few pages short of its slot, with no `---p` after it.
// - everything else anonymous (merged mmaps for mallocs ≥ 128 KiB, thread stacks, Go's own
//   side structures) stays plain anonymous.
import { PERMS, type Address } from './region.js';
import type { MapsTable } from './table.js';

const ARENA_BYTES = 2 ** 26;
/** How far short of its slot a full glibc heap may end (44 KiB seen). */
const FULL_HEAP_SLACK_BYTES = 2n ** 20n;
const GO_HINT_LOW = 0xc0 * 2 ** 32;
const GO_HINT_STRIDE = 2 ** 40;
/** Hints stop at 0x7fc000000000 (i < 0x80), far below 2^53: doubles are exact there. */
const GO_HINT_END = 0x80 * GO_HINT_STRIDE;

/** A glibc heap's grown part and its tail, as indices into PERMS. */
const RW_P = PERMS.indexOf('rw-p');
const NONE_P = PERMS.indexOf('---p');

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
  /** KiB of Go's arenas, usable and PROT_NONE-reserved. */
  goArenaKb: number;
  goArenaReservedKb: number;
}

// Tested per anonymous row as the rows are read: `%` on a double beyond 2^31 is a call into
// V8's runtime (fmod), a division by a power of two is exact and cheap.
function isGoArenaHint(address: Address): boolean {
  if (typeof address !== 'number' || address >= GO_HINT_END) return false;
  const strides = Math.floor(address / GO_HINT_STRIDE);
  return address - strides * GO_HINT_STRIDE === GO_HINT_LOW;
}

function isArenaAligned(address: Address): boolean {
  if (typeof address !== 'number') return address % BigInt(ARENA_BYTES) === 0n;
  const slots = address / ARENA_BYTES;
  return slots === Math.floor(slots);
}

/** `regions` in their order (sorted by start address, as the kernel prints them): one pass. */
export function classifyMemoryAreas(regions: MapsTable): MemoryAreas {
  const scan = new AreaScan(regions);
  scan.addRows(0, regions.count);
  return scan.result(regions.count);
}

/**
 * The areas of a table's rows, worked out row by row in one loop (three passes of their own,
 * each over 65,530 cold rows and each compiled by V8, were ~30–56 ms of `runbook diff maps`,
 * issue 19), as the rows come: the maps diff gives each file's rows their area while it reads
 * them and drops them once merged (`settled`, `dropFirst`). A glibc heap is known one or two rows after its head, so the head waits as
 * `pending` until then; `result()` settles it. Not fed from the table's push: inside the
 * scanner's loop its rarely taken branches threw the scanner's compiled code away (`node --trace-deopt`).
 */
export class AreaScan {
  private area = new Uint8Array(256);
  private readonly glibcArenas: GlibcArena[] = [];
  private goKb = 0;
  private goReservedKb = 0;
  /** The previous row is in a Go arena run that started at a hint. */
  private inGoRun = false;
  /** The row that may head a glibc heap, or −1; `pendingTail`: the row after it is its tail. */
  private pending = -1;
  private pendingTail = false;
  // Not 0: a field that starts as a small integer and is later given an address changes the
  // object's hidden class, which throws away the loop's compiled code (`node --trace-deopt`).
  private pendingStart: Address = Number.NaN;
  private pendingKb = 0;
  private pendingTailKb = 0;
  private headEnd = 0n;
  private slotEnd = 0n;

  constructor(private readonly table: MapsTable) {}

  /** Rows from…to−1 of the table, which come next. */
  addRows(from: number, to: number): void {
    for (let i = from; i < to; i++) this.add(i);
  }

  /** How many of the first `count` rows have their area for good: all but a glibc heap head still waiting for its next rows. */
  settled(count: number): number {
    return this.pending === -1 ? count : this.pending;
  }

  areaOf(i: number): number {
    return this.area[i]!;
  }

  /** The table dropped its first `n` rows of `count` (all settled): row n is now row 0. */
  dropFirst(n: number, count: number): void {
    this.area.copyWithin(0, n, count);
    this.area.fill(Area.None, count - n, count); // rows to come are None until found otherwise
    if (this.pending !== -1) this.pending -= n;
  }

  /**
   * Row i of the table (rows come in order, 0 first). Its fields are read here, not passed in:
   * an address passed to a call V8 does not inline is a number boxed on the heap, two a row.
   */
  private add(i: number): void {
    const t = this.table;
    const start = t.start(i);
    const anon = t.isAnon(i);
    const kb = t.kb(i);
    if (i === this.area.length) {
      const grown = new Uint8Array(2 * i);
      grown.set(this.area);
      this.area = grown;
    }
    if (this.goArenaRow(start, t.continuesPrevious(i), anon, t.pathId(i))) {
      this.area[i] = Area.GoArena;
      if (t.isReservation(i)) this.goReservedKb += kb;
      else this.goKb += kb;
    }
    if (this.pending !== -1) this.settle(i, start, t.end(i), kb, anon, t.permsId(i));
    if (this.area[i] !== Area.GoArena && anon && t.permsId(i) === RW_P && isArenaAligned(start)) this.headCandidate(i, start, t.end(i), kb);
  }

  /** The areas of every row added; add no row after. */
  result(count: number): MemoryAreas {
    if (this.pending !== -1) {
      // Nothing after it: a heap with its tail, or one grown to (nearly) its whole slot.
      if (this.pendingTail || this.headEnd >= this.slotEnd - FULL_HEAP_SLACK_BYTES) this.acceptPending();
      this.pending = -1;
    }
    return { area: this.area.subarray(0, count), glibcArenas: this.glibcArenas, goArenaKb: this.goKb, goArenaReservedKb: this.goReservedKb };
  }

  /**
   * Go's heap arenas: a run of address-contiguous anonymous rows from one at a hint, or a row
   * Go ≥ 1.25 names `[anon: Go: heap…`.
   */
  private goArenaRow(start: Address, contiguous: boolean, anon: boolean, path: number): boolean {
    const continues = this.inGoRun && anon && contiguous;
    this.inGoRun = continues || (anon && isGoArenaHint(start));
    return this.inGoRun || (anon && path !== 0 && this.table.pool.text(path).startsWith('[anon: Go: heap'));
  }

  /**
   * glibc's arena heaps outside Go's arenas. A heap owns its 64 MiB-aligned slot: `rw-p` as
   * far as it has grown, `---p` for the rest. A full heap can end a few pages short with nothing
   * after it (seen: 64 MiB − 44 KiB, three of them in a row, which an exact-64-MiB test counted
   * as large mallocs).
   */
  private headCandidate(i: number, start: Address, end: Address, kb: number): void {
    const slotEnd = BigInt(start) + BigInt(ARENA_BYTES);
    const headEnd = BigInt(end);
    if (headEnd > slotEnd) return;
    this.pending = i;
    this.pendingTail = false;
    this.pendingStart = start;
    this.pendingKb = kb;
    this.slotEnd = slotEnd;
    this.headEnd = headEnd;
  }

  /** Row i after the pending head: its tail, or what decides the head. */
  private settle(i: number, start: Address, end: Address, kb: number, anon: boolean, perms: number): void {
    if (!this.pendingTail) {
      const isTail = this.area[i] !== Area.GoArena && anon && perms === NONE_P && BigInt(start) === this.headEnd && BigInt(end) <= this.slotEnd;
      if (isTail) {
        this.pendingTail = true;
        this.pendingTailKb = kb;
        return;
      }
      // Without its tail, only a heap grown to (nearly) the whole slot: a large malloc's own
      // mmap that happens to start on a 64 MiB boundary is not a heap.
      if (this.headEnd < this.slotEnd - FULL_HEAP_SLACK_BYTES) {
        this.pending = -1;
        return;
      }
    }
    // Something else shares the slot: not a heap.
    if (BigInt(start) >= this.slotEnd) this.acceptPending();
    this.pending = -1;
  }

  private acceptPending(): void {
    const head = this.pending;
    this.glibcArenas.push({ start: this.pendingStart, used_kb: this.pendingKb, reserved_kb: this.pendingTail ? this.pendingTailKb : 0 });
    this.area[head] = Area.GlibcArena;
    if (this.pendingTail) this.area[head + 1] = Area.GlibcArena;
  }
}

export interface AreaTotals {
  go_arena_kb: number;
  go_arena_reserved_kb: number;
  glibc_arena_count: number;
  glibc_arena_kb: number;
  glibc_arena_reserved_kb: number;
}

export function areaTotals(areas: MemoryAreas): AreaTotals {
  let glibcUsed = 0;
  let glibcReserved = 0;
  for (const arena of areas.glibcArenas) {
    glibcUsed += arena.used_kb;
    glibcReserved += arena.reserved_kb;
  }
  return {
    go_arena_kb: areas.goArenaKb,
    go_arena_reserved_kb: areas.goArenaReservedKb,
    glibc_arena_count: areas.glibcArenas.length,
    glibc_arena_kb: glibcUsed,
    glibc_arena_reserved_kb: glibcReserved,
  };
}
