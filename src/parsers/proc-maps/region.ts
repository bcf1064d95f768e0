// /proc/PID/maps lines → regions. Format (proc(5)): `start-end perms offset dev inode   path`.
// The kernel pads before the path to a fixed column, but older kernels and hand-made files
// use one space (procfs fixture 26234); paths keep their own runs of spaces ("lib  two
// spaces.so"), ` (deleted)` and `\012` (the kernel's escape for a newline) verbatim.
import type { ParseWarning } from '../types.js';

export type RegionKind = 'heap' | 'stack' | 'anon' | 'file' | 'vdso' | 'vvar' | 'vsyscall' | 'other';

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

export interface ParsedMaps {
  regions: MapRegion[];
  warnings: ParseWarning[];
  lines: number;
}

const MAX_WARNINGS = 50;

export function parseMapsText(text: string): ParsedMaps {
  const regions: MapRegion[] = [];
  const warnings: ParseWarning[] = [];
  let lineNo = 0;
  let skipped = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const region = parseMapsLine(text, start, end);
    if (region !== null) {
      regions.push(region);
    } else if (text.slice(start, end).trim() !== '') {
      skipped++;
      if (warnings.length < MAX_WARNINGS) warnings.push({ line: lineNo, message: `not a maps line: ${JSON.stringify(text.slice(start, Math.min(end, start + 80)))}` });
    }
    start = end + 1;
  }
  if (skipped > MAX_WARNINGS) warnings.push({ message: `${skipped - MAX_WARNINGS} more lines that are not maps lines` });
  return { regions, warnings, lines: lineNo };
}

// A hand-written scanner over the whole text (no per-line slice, shared strings for the
// common perms/dev/inode/offset values): at 65,530 mappings the regex version spent most of
// its time allocating and collecting garbage (bench/maps.bench.js), against a 200 ms budget.
/** text[from, to) as `start-end perms offset major:minor inode[ padding path]`, or null. */
export function parseMapsLine(text: string, from: number, to: number): MapRegion | null {
  if (to > from && text.charCodeAt(to - 1) === 13) to--;
  const dash = text.indexOf('-', from);
  if (dash <= from || dash >= to) return null;
  const afterRange = text.indexOf(' ', dash + 1);
  if (afterRange === -1 || afterRange >= to) return null;
  const start = hexAddress(text, from, dash);
  const end = hexAddress(text, dash + 1, afterRange);
  if (start === null || end === null || end < start) return null;
  const permsAt = afterRange + 1;
  const perms = permsAt + 4 <= to ? permsText(text, permsAt) : null;
  if (perms === null || text.charCodeAt(permsAt + 4) !== 32) return null;
  const offsetAt = permsAt + 5;
  const offsetEnd = text.indexOf(' ', offsetAt);
  if (offsetEnd === -1 || offsetEnd >= to || !isHex(text, offsetAt, offsetEnd, 16)) return null;
  const devAt = offsetEnd + 1;
  const devEnd = text.indexOf(' ', devAt);
  if (devEnd === -1 || devEnd >= to || !isDev(text, devAt, devEnd)) return null;
  const inodeAt = devEnd + 1;
  let inodeEnd = text.indexOf(' ', inodeAt);
  if (inodeEnd === -1 || inodeEnd > to) inodeEnd = to;
  if (!isDecimal(text, inodeAt, inodeEnd)) return null;
  let pathAt = inodeEnd;
  while (pathAt < to && text.charCodeAt(pathAt) === 32) pathAt++;
  const inode = inodeEnd - inodeAt === 1 && text.charCodeAt(inodeAt) === 48 ? '0' : text.slice(inodeAt, inodeEnd);
  const path = pathAt >= to ? '' : text.slice(pathAt, to);
  return {
    start,
    end,
    kb: spanKb(start, end),
    perms,
    offset: isZeros(text, offsetAt, offsetEnd) ? ZERO_OFFSETS[offsetEnd - offsetAt] ?? text.slice(offsetAt, offsetEnd) : text.slice(offsetAt, offsetEnd),
    dev: devEnd - devAt === 5 && text.startsWith('00:00', devAt) ? '00:00' : text.slice(devAt, devEnd),
    inode,
    path,
    kind: kindOf(path, inode),
  };
}

/** Up to 13 hex digits (< 2^52) fit a double exactly and are summed digit by digit. */
const EXACT_NUMBER_DIGITS = 13;

/** text[from, to) (1–16 hex digits) as an Address, or null if it is not hex. */
function hexAddress(text: string, from: number, to: number): Address | null {
  if (to <= from || to - from > 16) return null;
  if (to - from > EXACT_NUMBER_DIGITS) return isHex(text, from, to, 16) ? canonicalAddress(BigInt(`0x${text.slice(from, to)}`)) : null;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = hexDigit(text.charCodeAt(i));
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

/** (end − start) in whole KiB; exact for numbers (both < 2^53, so the difference is exact too). */
function spanKb(start: Address, end: Address): number {
  if (typeof start === 'number' && typeof end === 'number') return Math.floor((end - start) / 1024);
  return Number((BigInt(end) - BigInt(start)) >> 10n);
}

/** Whether end − start is exactly `bytes`. */
export function spansExactly(start: Address, end: Address, bytes: number): boolean {
  if (typeof start === 'number' && typeof end === 'number') return end - start === bytes;
  return BigInt(end) - BigInt(start) === BigInt(bytes);
}

const ZERO_OFFSETS: Record<number, string> = { 8: '00000000', 16: '0000000000000000' };

function isHex(text: string, from: number, to: number, max: number): boolean {
  if (to <= from || to - from > max) return false;
  for (let i = from; i < to; i++) if (hexDigit(text.charCodeAt(i)) < 0) return false;
  return true;
}

function isZeros(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) !== 48) return false;
  return true;
}

function isDecimal(text: string, from: number, to: number): boolean {
  if (to <= from || to - from > 20) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isDev(text: string, from: number, to: number): boolean {
  const colon = text.indexOf(':', from);
  return colon > from && colon < to && isHex(text, from, colon, 8) && isHex(text, colon + 1, to, 8);
}

// All 64 spellings, built once: perms are a handful of distinct strings per file.
const PERMS = new Map<number, string>();
for (const r of 'r-') for (const w of 'w-') for (const x of 'x-') for (const t of 'psS-') {
  const p = r + w + x + t;
  PERMS.set(permsKey(p, 0), p);
}

function permsKey(text: string, at: number): number {
  return (text.charCodeAt(at) << 21) | (text.charCodeAt(at + 1) << 14) | (text.charCodeAt(at + 2) << 7) | text.charCodeAt(at + 3);
}

function permsText(text: string, at: number): string | null {
  const perms = PERMS.get(permsKey(text, at));
  // The key packs 7 bits per char; non-ASCII text could alias a valid key, so confirm.
  return perms !== undefined && text.startsWith(perms, at) ? perms : null;
}

/** Lower-case hex as the kernel prints it (%08lx). */
export function addressHex(address: Address): string {
  // V8's Number#toString(16) is ~6× slower than a short-lived BigInt's (measured at 65,530
  // regions: 33 ms against 5 ms), and the region list formats two addresses per mapping.
  return BigInt(address).toString(16).padStart(8, '0');
}

export function kindOf(path: string, inode: string): RegionKind {
  if (path === '') return inode === '0' ? 'anon' : 'other';
  if (path.charCodeAt(0) === 47 /* / */) return 'file';
  if (path === '[heap]') return 'heap';
  if (path === '[stack]' || path.startsWith('[stack:')) return 'stack';
  // [anon:name] (PR_SET_VMA_ANON_NAME), [anon: Go: heap] (Go ≥ 1.25), [anon_shmem:name].
  if (path.startsWith('[anon')) return 'anon';
  if (path === '[vdso]') return 'vdso';
  if (path === '[vvar]' || path.startsWith('[vvar_')) return 'vvar';
  if (path === '[vsyscall]') return 'vsyscall';
  return 'other';
}

export function sizeKb(region: MapRegion): number {
  return region.kb;
}

/** PROT_NONE reservations (Go arena reserve, glibc arena tails, guard pages) hold no memory. */
export function isReservation(region: MapRegion): boolean {
  return region.perms.startsWith('---');
}
