// A /proc/PID/maps region and what its fields mean. Format (proc(5)):
// `start-end perms offset dev inode   path`; the line scanner is line-scan.ts.

export const KINDS = ['heap', 'stack', 'anon', 'file', 'vdso', 'vvar', 'vsyscall', 'other'] as const;
export type RegionKind = (typeof KINDS)[number];
/** A kind's index in KINDS: what the line scanner reads and a table stores (a byte per row). */
export type KindId = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const KIND_ID = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Readonly<Record<RegionKind, KindId>>;

/**
 * An address, exact: a number below 2^53 (every user-space address on x86-64 and arm64),
 * a BigInt from 2^53 up (ffffffffff600000 [vsyscall]). One value always has the same
 * representation, so `===` stays correct, and `<`/`>` compare numbers and BigInts exactly.
 * Numbers because a BigInt per address cost most of the maps diff's 200 ms budget in
 * allocation and GC (bench/maps.bench.js, docs/parsers.md § Bench).
 */
export type Address = number | bigint;

export interface MapRegion {
  start: Address;
  end: Address;
  /** (end − start) in KiB. */
  kb: number;
  perms: string;
  offset: string;
  dev: string;
  inode: string;
  path: string;
  kind: RegionKind;
}

/** All 32 spellings of the perms field; a region keeps the index of its own. The line scanner
 *  computes that index from the four bytes (line-scan.ts permsId), so keep this order. */
export const PERMS: readonly string[] = [...'r-'].flatMap((r) => [...'w-'].flatMap((w) => [...'x-'].flatMap((x) => [...'psS-'].map((t) => r + w + x + t))));

/** Lower-case hex as the kernel prints it (%08lx). */
export function addressHex(address: Address): string {
  // V8's Number#toString(16) is ~6× slower than a short-lived BigInt's (measured at 65,530
  // regions: 33 ms against 5 ms), and the region list formats two addresses per mapping.
  return BigInt(address).toString(16).padStart(8, '0');
}

/** PROT_NONE reservations (Go arena reserve, glibc arena tails, guard pages) hold no memory. */
export function isReservation(region: MapRegion): boolean {
  return region.perms.startsWith('---');
}
