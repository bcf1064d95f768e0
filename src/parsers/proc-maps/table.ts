// The regions of one maps snapshot as columns (typed arrays and ids of distinct strings), not
// an object per mapping: at 65,530 mappings per snapshot the objects and their collection
// were most of `runbook diff maps` (bench/maps.bench.js, docs/parsers.md § Bench).
import { KIND_ID, KINDS, PERMS, type Address, type KindId, type MapRegion, type RegionKind } from './region.js';
import { TextPool } from './text-pool.js';

const ANON = KIND_ID.anon;
const FILE = KIND_ID.file;
/** PROT_NONE spellings (`---p`, `---s`): reservations and guards that hold no memory. */
const RESERVATION = PERMS.map((p) => p.startsWith('---'));
const PERMS_IDS = new Map(PERMS.map((p, i) => [p, i]));
/** Distinct strings past which dropFirst rebuilds the pool (a real process maps a few hundred files). */
const POOL_REBUILD_SIZE = 4096;

export class MapsTable {
  /** Rows held (rows dropped by dropFirst are gone from it). */
  count = 0;
  /** Rows dropped by dropFirst. */
  private dropped = 0;
  /** Rows whose path was longer than MAX_MAPS_PATH_BYTES, kept up to there (line-scan.ts). */
  cutPaths = 0;
  /** Addresses below 2^53 exactly; NaN marks one from 2^53 up, kept as a BigInt in `big`. */
  private starts = new Float64Array(256);
  private ends = new Float64Array(256);
  private kinds = new Uint8Array(256);
  private permsIds = new Uint8Array(256);
  /** Ids into `pool`. */
  private paths = new Int32Array(256);
  /** Offset, dev and inode ids, three per row; only in a table that keeps them (identity). */
  private identities: Int32Array;
  /** Row × 2 (+1 for the end) → address, for the rare address ≥ 2^53 ([vsyscall]). */
  private big = new Map<number, bigint>();
  // Summed as rows are pushed, in the scan's hot loop: a pass of its own over a table read
  // once is cold code, ~10 ms per 65,530 rows (issue 19, docs/parsers.md § Bench).
  /** KiB by kind id, PROT_NONE rows included. */
  private readonly kbByKind = new Float64Array(KINDS.length);
  private totalKbSum = 0;
  private reservedKbSum = 0;
  private anonReservedKbSum = 0;
  /** False once a row starts below the one before it. */
  private ordered = true;
  private lastStart: Address = -1;
  /** Ids into it: path, and with identity offset, dev and inode (dropFirst may swap it for the spare, rebuilt with the kept rows' values alone). */
  private textPool: TextPool;
  /** The pool dropFirst rebuilds into, the one before last: reused, since a pool left to the
   *  collector holds its buffers until a full collection, which a small heap seldom runs. */
  private sparePool: TextPool | null = null;

  /**
   * `pool` holds the path, offset, dev and inode ids ('' is id 0). `identity`: keep each
   * row's offset, dev and inode (a parser's region list); a diff reads none of them.
   */
  constructor(
    pool: TextPool,
    readonly identity: boolean,
  ) {
    this.textPool = pool;
    this.identities = new Int32Array(identity ? 3 * 256 : 0);
  }

  get pool(): TextPool {
    return this.textPool;
  }

  /** `perms` is an index into PERMS, `kind` into KINDS; the text fields are ids into `pool` (ignored without identity). */
  push(start: Address, end: Address, perms: number, path: number, offset: number, dev: number, inode: number, kindId: KindId): void {
    const row = this.count++;
    if (row === this.starts.length) this.grow();
    this.starts[row] = this.stored(start, 2 * row);
    this.ends[row] = this.stored(end, 2 * row + 1);
    this.permsIds[row] = perms;
    this.paths[row] = path;
    this.kinds[row] = kindId;
    const kb = this.kb(row);
    this.kbByKind[kindId]! += kb;
    this.totalKbSum += kb;
    if (RESERVATION[perms]) {
      this.reservedKbSum += kb;
      if (kindId === ANON) this.anonReservedKbSum += kb;
    }
    // Exact for an address from 2^53 up too (a BigInt compares with a number by value).
    if (start < this.lastStart) this.ordered = false;
    this.lastStart = start;
    if (this.identity) {
      this.identities[3 * row] = offset;
      this.identities[3 * row + 1] = dev;
      this.identities[3 * row + 2] = inode;
    }
  }

  /** Every row pushed, dropped ones included. */
  get rowsRead(): number {
    return this.dropped + this.count;
  }

  /** KiB of every row. */
  totalKb(): number {
    return this.totalKbSum;
  }

  /** KiB of every row of `kind`, PROT_NONE ones included. */
  kbOfKind(kind: RegionKind): number {
    return this.kbByKind[KIND_ID[kind]]!;
  }

  /** KiB of the PROT_NONE rows (reservations and guards: no memory behind them). */
  reservedKb(): number {
    return this.reservedKbSum;
  }

  /** KiB of the anonymous PROT_NONE rows. */
  anonReservedKb(): number {
    return this.anonReservedKbSum;
  }

  /** Whether row i starts where row i − 1 ends. */
  continuesPrevious(i: number): boolean {
    const start = this.starts[i]!;
    return i > 0 && (start === start ? start === this.ends[i - 1] : this.start(i) === this.end(i - 1));
  }

  permsId(i: number): number {
    return this.permsIds[i]!;
  }

  pathId(i: number): number {
    return this.paths[i]!;
  }

  /** Whether every row pushed starts at or after the one before it (as the kernel prints them). */
  inStartOrder(): boolean {
    return this.ordered;
  }

  start(i: number): Address {
    const v = this.starts[i]!;
    return v === v ? v : this.big.get(2 * i)!;
  }

  end(i: number): Address {
    const v = this.ends[i]!;
    return v === v ? v : this.big.get(2 * i + 1)!;
  }

  /** (end − start) in whole KiB; exact (numbers below 2^53 subtract exactly). */
  kb(i: number): number {
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    if (start === start && end === end) return Math.floor((end - start) / 1024);
    return Number((BigInt(this.end(i)) - BigInt(this.start(i))) >> 10n);
  }

  kind(i: number): RegionKind {
    return KINDS[this.kinds[i]!]!;
  }

  isAnon(i: number): boolean {
    return this.kinds[i] === ANON;
  }

  isFile(i: number): boolean {
    return this.kinds[i] === FILE;
  }

  perms(i: number): string {
    return PERMS[this.permsIds[i]!]!;
  }

  /** PROT_NONE reservations (Go arena reserve, glibc arena tails, guard pages) hold no memory. */
  isReservation(i: number): boolean {
    return RESERVATION[this.permsIds[i]!]!;
  }

  path(i: number): string {
    return this.pool.text(this.paths[i]!);
  }

  /** Row i as a region; offset, dev and inode are '' in a table without identity. */
  region(i: number): MapRegion {
    const text = (k: number): string => this.pool.text(this.identity ? this.identities[3 * i + k]! : 0);
    return { start: this.start(i), end: this.end(i), kb: this.kb(i), perms: this.perms(i), offset: text(0), dev: text(1), inode: text(2), path: this.path(i), kind: this.kind(i) };
  }

  /**
   * Forgets rows 0…n−1 (row n becomes row 0), for a reader that is done with them (the maps
   * diff's merge); the sums keep counting them. Once the pool holds many distinct strings, it
   * is rebuilt with the kept rows' alone, so a window of rows holds only its own strings.
   */
  dropFirst(n: number): void {
    const count = this.count;
    this.starts.copyWithin(0, n, count);
    this.ends.copyWithin(0, n, count);
    this.kinds.copyWithin(0, n, count);
    this.permsIds.copyWithin(0, n, count);
    this.paths.copyWithin(0, n, count);
    if (this.identity) this.identities.copyWithin(0, 3 * n, 3 * count);
    if (this.big.size > 0) {
      const big = new Map<number, bigint>();
      for (const [key, address] of this.big) if (key >= 2 * n) big.set(key - 2 * n, address);
      this.big = big;
    }
    this.count = count - n;
    this.dropped += n;
    if (this.textPool.size > POOL_REBUILD_SIZE) this.rebuildPool();
  }

  private rebuildPool(): void {
    const old = this.textPool;
    const pool = this.sparePool ?? new TextPool();
    pool.clear();
    const moved = new Map<number, number>();
    const move = (id: number): number => {
      let to = moved.get(id);
      if (to === undefined) moved.set(id, (to = old.copyTo(id, pool)));
      return to;
    };
    for (let row = 0; row < this.count; row++) this.paths[row] = move(this.paths[row]!);
    if (this.identity) for (let k = 0; k < 3 * this.count; k++) this.identities[k] = move(this.identities[k]!);
    this.textPool = pool;
    this.sparePool = old;
  }

  private stored(address: Address, key: number): number {
    if (typeof address === 'number') return address;
    this.big.set(key, address);
    return Number.NaN;
  }

  private grow(): void {
    const size = 2 * this.starts.length;
    this.starts = grown(this.starts, new Float64Array(size));
    this.ends = grown(this.ends, new Float64Array(size));
    this.kinds = grown(this.kinds, new Uint8Array(size));
    this.permsIds = grown(this.permsIds, new Uint8Array(size));
    this.paths = grown(this.paths, new Int32Array(size));
    if (this.identity) this.identities = grown(this.identities, new Int32Array(3 * size));
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Regions built elsewhere (smaps headers) as a table, for the classifications shared with maps. */
export function tableOfRegions(regions: readonly MapRegion[]): MapsTable {
  const pool = new TextPool();
  const table = new MapsTable(pool, true);
  const id = (text: string): number => pool.internText(text);
  for (const r of regions) table.push(r.start, r.end, PERMS_IDS.get(r.perms)!, id(r.path), id(r.offset), id(r.dev), id(r.inode), KIND_ID[r.kind]);
  return table;
}
