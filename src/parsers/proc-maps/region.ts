// /proc/PID/maps lines → regions. Format (proc(5)): `start-end perms offset dev inode   path`.
// The kernel pads before the path to a fixed column, but older kernels and hand-made files
// use one space (procfs fixture 26234); paths keep their own runs of spaces ("lib  two
// spaces.so"), ` (deleted)` and `\012` (the kernel's escape for a newline) verbatim.
import type { ParseWarning } from '../types.js';

export type RegionKind = 'heap' | 'stack' | 'anon' | 'file' | 'vdso' | 'vvar' | 'vsyscall' | 'other';

export interface MapRegion {
  /** Addresses exceed 2^53 on 64-bit kernels (ffffffffff600000 [vsyscall]). */
  start: bigint;
  end: bigint;
  /** As printed: lower-case hex without 0x. */
  startHex: string;
  endHex: string;
  /** (end − start) in KiB. */
  kb: number;
  perms: string;
  offset: string;
  dev: string;
  inode: string;
  path: string;
  kind: RegionKind;
  /** 1-based input line. */
  line: number;
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
    const line = text.slice(start, end);
    start = end + 1;
    const region = parseMapsLine(line, lineNo);
    if (region !== null) {
      regions.push(region);
    } else if (line.trim() !== '') {
      skipped++;
      if (warnings.length < MAX_WARNINGS) warnings.push({ line: lineNo, message: `not a maps line: ${JSON.stringify(line.slice(0, 80))}` });
    }
  }
  if (skipped > MAX_WARNINGS) warnings.push({ message: `${skipped - MAX_WARNINGS} more lines that are not maps lines` });
  return { regions, warnings, lines: lineNo };
}

// A hand-written scanner: a regex with a lazy path group cost ~3× as much at 65,530 lines
// (bench/maps.bench.js), and the whole parse + diff has a 200 ms budget.
/** `start-end perms offset major:minor inode[ padding path]`, or null. */
export function parseMapsLine(line: string, lineNo: number): MapRegion | null {
  const dash = line.indexOf('-');
  const afterRange = line.indexOf(' ', dash + 1);
  if (dash < 1 || afterRange === -1) return null;
  const startHex = hexField(line, 0, dash, 16);
  const endHex = hexField(line, dash + 1, afterRange, 16);
  const permsAt = afterRange + 1;
  const perms = line.slice(permsAt, permsAt + 4);
  if (startHex === null || endHex === null || !validPerms(perms) || line.charCodeAt(permsAt + 4) !== 32) return null;
  const offsetAt = permsAt + 5;
  const offsetEnd = line.indexOf(' ', offsetAt);
  if (offsetEnd === -1 || hexField(line, offsetAt, offsetEnd, 16) === null) return null;
  const devEnd = line.indexOf(' ', offsetEnd + 1);
  if (devEnd === -1 || !validDev(line, offsetEnd + 1, devEnd)) return null;
  let inodeEnd = line.indexOf(' ', devEnd + 1);
  if (inodeEnd === -1) inodeEnd = line.charCodeAt(line.length - 1) === 13 ? line.length - 1 : line.length;
  if (!decimalField(line, devEnd + 1, inodeEnd)) return null;
  let pathAt = inodeEnd;
  while (line.charCodeAt(pathAt) === 32) pathAt++;
  let pathEnd = line.length;
  if (line.charCodeAt(pathEnd - 1) === 13) pathEnd--;
  const path = pathAt >= pathEnd ? '' : line.slice(pathAt, pathEnd);
  // Below 2^52 a double is exact and much cheaper than BigInt arithmetic; above, BigInt.
  const small = startHex.length <= 13 && endHex.length <= 13;
  const startNumber = small ? parseInt(startHex, 16) : 0;
  const endNumber = small ? parseInt(endHex, 16) : 0;
  const startAddress = small ? BigInt(startNumber) : BigInt(`0x${startHex}`);
  const endAddress = small ? BigInt(endNumber) : BigInt(`0x${endHex}`);
  if (endAddress < startAddress) return null;
  const inode = line.slice(devEnd + 1, inodeEnd);
  return {
    start: startAddress,
    end: endAddress,
    startHex,
    endHex,
    kb: small ? Math.floor((endNumber - startNumber) / 1024) : Number((endAddress - startAddress) >> 10n),
    perms,
    offset: line.slice(offsetAt, offsetEnd),
    dev: line.slice(offsetEnd + 1, devEnd),
    inode,
    path,
    kind: kindOf(path, inode),
    line: lineNo,
  };
}

/** Lower-case hex text of line[from, to), or null if it is not 1…max hex digits. */
function hexField(line: string, from: number, to: number, max: number): string | null {
  if (to <= from || to - from > max) return null;
  let upper = false;
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) continue;
    if (c >= 65 && c <= 70) upper = true;
    else return null;
  }
  const text = line.slice(from, to);
  return upper ? text.toLowerCase() : text;
}

function decimalField(line: string, from: number, to: number): boolean {
  if (to <= from || to - from > 20) return false;
  for (let i = from; i < to; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function validDev(line: string, from: number, to: number): boolean {
  const colon = line.indexOf(':', from);
  return colon > from && colon < to && hexField(line, from, colon, 8) !== null && hexField(line, colon + 1, to, 8) !== null;
}

function validPerms(p: string): boolean {
  return (
    p.length === 4 &&
    (p[0] === 'r' || p[0] === '-') &&
    (p[1] === 'w' || p[1] === '-') &&
    (p[2] === 'x' || p[2] === '-') &&
    (p[3] === 'p' || p[3] === 's' || p[3] === 'S' || p[3] === '-')
  );
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
