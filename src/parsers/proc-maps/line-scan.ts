// One /proc/PID/maps line, read from its bytes into a table row: no decoded line, no string
// but the distinct values of the text fields (TextPool). The kernel pads before the path to a
// fixed column, but older kernels and hand-made files use one space (procfs fixture 26234);
// paths keep their own runs of spaces ("lib  two spaces.so"), ` (deleted)` and `\012` (the
// kernel's escape for a newline) verbatim. Every field but the path is ASCII, so a byte test
// rejects exactly what a test on the decoded text would.
import { KIND_ID, type Address, type KindId } from './region.js';
import type { MapsTable } from './table.js';
import { COLON, CR, DASH, NINE, SPACE, ZERO } from '../ascii.js';

const { heap: HEAP_KIND, stack: STACK_KIND, anon: ANON_KIND, file: FILE_KIND, vdso: VDSO_KIND, vvar: VVAR_KIND, vsyscall: VSYSCALL_KIND, other: OTHER_KIND } = KIND_ID;

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
  // Each field is read once, as a run of digits that must stop at its separator (a search
  // for the separator and then a test of the digits read every byte twice, through two
  // calls per byte that a cold process runs in V8's interpreter: issue 19).
  const dash = hexRun(bytes, from, to);
  if (!runEndsAt(bytes, from, dash, to, DASH, 16)) return false;
  const afterRange = hexRun(bytes, dash + 1, to);
  if (!runEndsAt(bytes, dash + 1, afterRange, to, SPACE, 16)) return false;
  const start = hexAddress(bytes, from, dash);
  const end = hexAddress(bytes, dash + 1, afterRange);
  if (end < start) return false;
  const permsAt = afterRange + 1;
  const perms = permsAt + 4 < to && bytes[permsAt + 4] === SPACE ? permsId(bytes, permsAt) : -1;
  if (perms < 0) return false;
  const offsetAt = permsAt + 5;
  const offsetEnd = hexRun(bytes, offsetAt, to);
  if (!runEndsAt(bytes, offsetAt, offsetEnd, to, SPACE, 16)) return false;
  const devAt = offsetEnd + 1;
  const colon = hexRun(bytes, devAt, to);
  if (!runEndsAt(bytes, devAt, colon, to, COLON, 8)) return false;
  const devEnd = hexRun(bytes, colon + 1, to);
  if (!runEndsAt(bytes, colon + 1, devEnd, to, SPACE, 8)) return false;
  const inodeAt = devEnd + 1;
  const inodeEnd = decimalRun(bytes, inodeAt, to);
  if (inodeEnd === inodeAt || inodeEnd - inodeAt > 20 || (inodeEnd < to && bytes[inodeEnd] !== SPACE)) return false;
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

/** Each byte's value as a hex digit, −1 for a byte that is not one. */
const HEX_DIGIT = new Int8Array(256).fill(-1);
for (let d = 0; d < 16; d++) {
  HEX_DIGIT['0123456789abcdef'.charCodeAt(d)] = d;
  HEX_DIGIT['0123456789ABCDEF'.charCodeAt(d)] = d;
}

/** Where the run of hex digits from `at` stops (at `to` at the latest). */
function hexRun(bytes: Uint8Array, at: number, to: number): number {
  while (at < to && HEX_DIGIT[bytes[at]!]! >= 0) at++;
  return at;
}

/** Where the run of decimal digits from `at` stops (at `to` at the latest). */
function decimalRun(bytes: Uint8Array, at: number, to: number): number {
  while (at < to && bytes[at]! >= ZERO && bytes[at]! <= NINE) at++;
  return at;
}

/** Whether the run bytes[from, stop) has 1 to `max` digits and stops at `separator` (before `to`). */
function runEndsAt(bytes: Uint8Array, from: number, stop: number, to: number, separator: number, max: number): boolean {
  return stop > from && stop - from <= max && stop < to && bytes[stop] === separator;
}

/** Up to 13 hex digits (< 2^52) fit a double exactly and are summed digit by digit. */
const EXACT_NUMBER_DIGITS = 13;

/** bytes[from, to), 1–16 hex digits, as an Address. */
function hexAddress(bytes: Buffer, from: number, to: number): Address {
  if (to - from > EXACT_NUMBER_DIGITS) return canonicalAddress(BigInt(`0x${bytes.toString('latin1', from, to)}`));
  let value = 0;
  for (let i = from; i < to; i++) value = value * 16 + HEX_DIGIT[bytes[i]!]!;
  return value;
}

/** Zero-padded 16-digit addresses below 2^53 become numbers, so each value has one form. */
function canonicalAddress(address: bigint): Address {
  return address <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(address) : address;
}

/**
 * The index into PERMS of bytes[at, at + 4), or −1: PERMS lists `r-` × `w-` × `x-` × `psS-`
 * in that order, so the index is a number in those digits (a Map look-up of the four bytes
 * was a tenth of the scan, issue 19).
 */
function permsId(bytes: Uint8Array, at: number): number {
  const r = flag(bytes[at]!, R);
  const w = flag(bytes[at + 1]!, W);
  const x = flag(bytes[at + 2]!, X);
  const t = bytes[at + 3]!;
  const share = t === P ? 0 : t === S ? 1 : t === S_UPPER ? 2 : t === DASH ? 3 : -1;
  return (r | w | x | share) < 0 ? -1 : r * 16 + w * 8 + x * 4 + share;
}

// r w x p s S
const [R, W, X, P, S, S_UPPER] = [0x72, 0x77, 0x78, 0x70, 0x73, 0x53] as const;

/** 0 for the permission's letter, 1 for `-`, else −1. */
function flag(c: number, letter: number): number {
  return c === letter ? 0 : c === DASH ? 1 : -1;
}

interface PathName {
  bytes: readonly number[];
  /** The whole path, or (false) its start. */
  whole: boolean;
  kind: KindId;
}

const name = (text: string, whole: boolean, kind: KindId): PathName => ({ bytes: [...text].map((c) => c.charCodeAt(0)), whole, kind });
/**
 * Paths that name a kind, tried in turn by one loop: a file path ('/', last) runs through every
 * entry, so the loop is compiled with feedback for all of them. A test per name, as before, left
 * a name first seen after V8 had compiled the scanner ([heap] in the second file, [stack] and
 * [vdso] at the end of every real file) to throw that code away and compile it again
 * (~30 ms of CPU each, `node --trace-deopt`, issue 19).
 */
const PATH_NAMES: readonly PathName[] = [
  name('[heap]', true, HEAP_KIND),
  name('[stack]', true, STACK_KIND),
  name('[stack:', false, STACK_KIND),
  // [anon:name] (PR_SET_VMA_ANON_NAME), [anon: Go: heap] (Go ≥ 1.25), [anon_shmem:name].
  name('[anon', false, ANON_KIND),
  name('[vdso]', true, VDSO_KIND),
  name('[vvar]', true, VVAR_KIND),
  name('[vvar_', false, VVAR_KIND),
  name('[vsyscall]', true, VSYSCALL_KIND),
  name('/', false, FILE_KIND),
];

/** What the path bytes[from, to) names; `inodeZero`: the inode field is `0` (no file behind it). */
function kindOf(bytes: Buffer, from: number, to: number, inodeZero: boolean): KindId {
  if (to <= from) return inodeZero ? ANON_KIND : OTHER_KIND;
  for (const named of PATH_NAMES) if (names(bytes, from, to, named)) return named.kind;
  return OTHER_KIND;
}

function names(bytes: Buffer, from: number, to: number, named: PathName): boolean {
  const text = named.bytes;
  if (named.whole ? to - from !== text.length : to - from < text.length) return false;
  for (let k = 0; k < text.length; k++) if (bytes[from + k] !== text[k]) return false;
  return true;
}
