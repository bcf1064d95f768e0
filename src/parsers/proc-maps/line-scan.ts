// One /proc/PID/maps line, read from its bytes into a table row: no decoded line, no string
// but the distinct values of the text fields (TextPool). The kernel pads before the path to a
// fixed column, but older kernels and hand-made files use one space (procfs fixture 26234);
// paths keep their own runs of spaces ("lib  two spaces.so"), ` (deleted)` and `\012` (the
// kernel's escape for a newline) verbatim. Every field but the path is ASCII, so a byte test
// rejects exactly what a test on the decoded text would.
import { PERMS, type Address, type RegionKind } from './region.js';
import type { MapsTable } from './table.js';
import { COLON, CR, DASH, SLASH, SPACE, ZERO } from '../ascii.js';

/** A kept path: PATH_MAX and the ` (deleted)` the kernel appends; longer is cut there (the
 *  table counts it), so a line of junk cannot keep 64 KiB per distinct path. */
export const MAX_MAPS_PATH_BYTES = 4096 + ' (deleted)'.length;

/** The warning of a scan that cut `count` paths. */
export function cutPathsWarning(count: number): string {
  return `${count} paths longer than ${MAX_MAPS_PATH_BYTES} bytes (PATH_MAX and " (deleted)") were kept up to there`;
}

/**
 * bytes[from, to) as `start-end perms offset major:minor inode[ padding path]`: appends a row
 * to `table` (its text fields interned in the table's pool) and returns
 * true, or returns false and leaves the table as it was. Offset, dev and inode are interned
 * only for a table that keeps them (they are distinct per file mapping).
 */
export function scanMapsLine(bytes: Buffer, from: number, to: number, table: MapsTable): boolean {
  if (to > from && bytes[to - 1] === CR) to--;
  const dash = indexOf(bytes, DASH, from, to);
  if (dash <= from) return false;
  const afterRange = indexOf(bytes, SPACE, dash + 1, to);
  if (afterRange === -1) return false;
  const start = hexAddress(bytes, from, dash);
  const end = hexAddress(bytes, dash + 1, afterRange);
  if (start === null || end === null || end < start) return false;
  const permsAt = afterRange + 1;
  const perms = permsAt + 4 < to && bytes[permsAt + 4] === SPACE ? permsId(bytes, permsAt) : -1;
  if (perms < 0) return false;
  const offsetAt = permsAt + 5;
  const offsetEnd = indexOf(bytes, SPACE, offsetAt, to);
  if (offsetEnd === -1 || !isHex(bytes, offsetAt, offsetEnd, 16)) return false;
  const devAt = offsetEnd + 1;
  const devEnd = indexOf(bytes, SPACE, devAt, to);
  if (devEnd === -1 || !isDev(bytes, devAt, devEnd)) return false;
  const inodeAt = devEnd + 1;
  let inodeEnd = indexOf(bytes, SPACE, inodeAt, to);
  if (inodeEnd === -1) inodeEnd = to;
  if (!isDecimal(bytes, inodeAt, inodeEnd)) return false;
  let pathAt = inodeEnd;
  while (pathAt < to && bytes[pathAt] === SPACE) pathAt++;
  const pool = table.pool;
  if (to - pathAt > MAX_MAPS_PATH_BYTES) table.cutPaths++;
  const path = pool.intern(bytes, pathAt, Math.min(to, pathAt + MAX_MAPS_PATH_BYTES));
  const kind = kindOf(bytes, pathAt, to, inodeEnd - inodeAt === 1 && bytes[inodeAt] === ZERO);
  if (!table.identity) table.push(start, end, perms, path, 0, 0, 0, kind);
  else table.push(start, end, perms, path, pool.intern(bytes, offsetAt, offsetEnd), pool.intern(bytes, devAt, devEnd), pool.intern(bytes, inodeAt, inodeEnd), kind);
  return true;
}

function indexOf(bytes: Uint8Array, byte: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (bytes[i] === byte) return i;
  return -1;
}

/** Up to 13 hex digits (< 2^52) fit a double exactly and are summed digit by digit. */
const EXACT_NUMBER_DIGITS = 13;

/** bytes[from, to) (1–16 hex digits) as an Address, or null if it is not hex. */
function hexAddress(bytes: Buffer, from: number, to: number): Address | null {
  if (to <= from || to - from > 16) return null;
  if (to - from > EXACT_NUMBER_DIGITS) return isHex(bytes, from, to, 16) ? canonicalAddress(BigInt(`0x${bytes.toString('latin1', from, to)}`)) : null;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = hexDigit(bytes[i]!);
    if (digit < 0) return null;
    value = value * 16 + digit;
  }
  return value;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Zero-padded 16-digit addresses below 2^53 become numbers, so each value has one form. */
function canonicalAddress(address: bigint): Address {
  return address <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(address) : address;
}

function isHex(bytes: Uint8Array, from: number, to: number, max: number): boolean {
  if (to <= from || to - from > max) return false;
  for (let i = from; i < to; i++) if (hexDigit(bytes[i]!) < 0) return false;
  return true;
}

function isDecimal(bytes: Uint8Array, from: number, to: number): boolean {
  if (to <= from || to - from > 20) return false;
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isDev(bytes: Uint8Array, from: number, to: number): boolean {
  const colon = indexOf(bytes, COLON, from, to);
  return colon > from && isHex(bytes, from, colon, 8) && isHex(bytes, colon + 1, to, 8);
}

/** Perms by their four bytes packed into one number (7 bits each: all ASCII). */
const PERMS_BY_KEY = new Map(PERMS.map((p, i) => [permsKey([...p].map((c) => c.charCodeAt(0)), 0), i]));

function permsKey(bytes: ArrayLike<number>, at: number): number {
  return (bytes[at]! << 21) | (bytes[at + 1]! << 14) | (bytes[at + 2]! << 7) | bytes[at + 3]!;
}

/** The index into PERMS of bytes[at, at + 4), or −1. */
function permsId(bytes: Uint8Array, at: number): number {
  // A byte ≥ 0x80 could alias a valid key, so those are rejected first.
  if ((bytes[at]! | bytes[at + 1]! | bytes[at + 2]! | bytes[at + 3]!) >= 0x80) return -1;
  return PERMS_BY_KEY.get(permsKey(bytes, at)) ?? -1;
}

const PATHS = (texts: string[]): number[][] => texts.map((t) => [...t].map((c) => c.charCodeAt(0)));
const [HEAP, STACK, VDSO, VVAR, VSYSCALL] = PATHS(['[heap]', '[stack]', '[vdso]', '[vvar]', '[vsyscall]']);
const [STACK_NAMED, ANON_NAMED, VVAR_NAMED] = PATHS(['[stack:', '[anon', '[vvar_']);

/** What the path bytes[from, to) names; `inodeZero`: the inode field is `0` (no file behind it). */
function kindOf(bytes: Buffer, from: number, to: number, inodeZero: boolean): RegionKind {
  if (to <= from) return inodeZero ? 'anon' : 'other';
  if (bytes[from] === SLASH) return 'file';
  if (is(bytes, from, to, HEAP!)) return 'heap';
  if (is(bytes, from, to, STACK!) || startsWith(bytes, from, to, STACK_NAMED!)) return 'stack';
  // [anon:name] (PR_SET_VMA_ANON_NAME), [anon: Go: heap] (Go ≥ 1.25), [anon_shmem:name].
  if (startsWith(bytes, from, to, ANON_NAMED!)) return 'anon';
  if (is(bytes, from, to, VDSO!)) return 'vdso';
  if (is(bytes, from, to, VVAR!) || startsWith(bytes, from, to, VVAR_NAMED!)) return 'vvar';
  if (is(bytes, from, to, VSYSCALL!)) return 'vsyscall';
  return 'other';
}

function startsWith(bytes: Buffer, from: number, to: number, prefix: readonly number[]): boolean {
  if (to - from < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (bytes[from + k] !== prefix[k]) return false;
  return true;
}

function is(bytes: Buffer, from: number, to: number, text: readonly number[]): boolean {
  return to - from === text.length && startsWith(bytes, from, to, text);
}
