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
const mapsLine = /^([0-9a-fA-F]{1,16})-([0-9a-fA-F]{1,16}) ([r-][w-][x-][psS-]) ([0-9a-fA-F]{1,16}) ([0-9a-fA-F]{1,8}:[0-9a-fA-F]{1,8}) (\d{1,20})(?: +(.*?))?\r?$/;

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
    if (line.trim() === '') continue;
    const m = mapsLine.exec(line);
    const region = m === null ? null : toRegion(m, lineNo);
    if (region === null) {
      skipped++;
      if (warnings.length < MAX_WARNINGS) warnings.push({ line: lineNo, message: `not a maps line: ${JSON.stringify(line.slice(0, 80))}` });
      continue;
    }
    regions.push(region);
  }
  if (skipped > MAX_WARNINGS) warnings.push({ message: `${skipped - MAX_WARNINGS} more lines that are not maps lines` });
  return { regions, warnings, lines: lineNo };
}

function toRegion(m: RegExpExecArray, line: number): MapRegion | null {
  const startHex = m[1]!.toLowerCase();
  const endHex = m[2]!.toLowerCase();
  const start = BigInt(`0x${startHex}`);
  const end = BigInt(`0x${endHex}`);
  if (end < start) return null;
  const path = m[7] ?? '';
  const inode = m[6]!;
  return { start, end, startHex, endHex, perms: m[3]!, offset: m[4]!, dev: m[5]!, inode, path, kind: kindOf(path, inode), line };
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
  return Number((region.end - region.start) >> 10n);
}

/** PROT_NONE reservations (Go arena reserve, glibc arena tails, guard pages) hold no memory. */
export function isReservation(region: MapRegion): boolean {
  return region.perms.startsWith('---');
}
