// Large /proc/PID/maps snapshots of a made-up process and of the same process later, from a
// seed: tests of the maps diff's merge by address (flat memory, issue 19) need tens of
// thousands of rows with the shapes of a real address space.
import { renderMapsLine } from './maps-line.js';

const MiB = 1n << 20n;
const ARENA = 64n * MiB;

interface Row {
  start: bigint;
  end: bigint;
  perms: string;
  path: string;
}

/** mulberry32: the same snapshot for the same seed, so a failure can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const pages = (n: number): bigint => BigInt(n) * 4096n;

/** A process's address space: Go's arenas at their hint, [heap], glibc arena heaps (with and
 *  without their PROT_NONE tail), thread stacks with guard pages, libraries, anonymous runs. */
export function addressSpace(rnd: () => number, rows: number): Row[] {
  const out: Row[] = [
    { start: 0x400000n, end: 0x682000n, perms: 'r-xp', path: '/srv/app' },
    { start: 0x35626000n, end: 0x35626000n + pages(1 + Math.floor(rnd() * 400)), perms: 'rw-p', path: '[heap]' },
  ];
  const goUsed = pages(1 + Math.floor(rnd() * 20000));
  out.push({ start: 0xc000000000n, end: 0xc000000000n + goUsed, perms: 'rw-p', path: '' }, { start: 0xc000000000n + goUsed, end: 0xc000000000n + 4n * ARENA, perms: '---p', path: '' });
  let address = 0x7f0000000000n;
  while (out.length < rows) {
    const kind = rnd();
    if (kind < 0.02) {
      address = (address / ARENA + 1n) * ARENA;
      const used = rnd() < 0.1 ? ARENA - pages(11) : pages(1 + Math.floor(rnd() * 16000));
      out.push({ start: address, end: address + used, perms: 'rw-p', path: '' });
      if (used < ARENA - MiB) out.push({ start: address + used, end: address + ARENA, perms: '---p', path: '' });
      address += ARENA;
    } else if (kind < 0.1) {
      out.push({ start: address, end: address + 4096n, perms: '---p', path: '' }, { start: address + 4096n, end: address + 8n * MiB, perms: 'rw-p', path: '' });
      address += 8n * MiB;
    } else {
      const size = pages(1 + Math.floor(rnd() * 8));
      const library = rnd() < 0.4;
      out.push({ start: address, end: address + size, perms: library ? 'r--p' : rnd() < 0.5 ? 'rw-p' : '---p', path: library ? `/usr/lib/lib${out.length}.so` : '' });
      address += size + (rnd() < 0.5 ? 0n : pages(1 + Math.floor(rnd() * 4)));
    }
  }
  if (rnd() < 0.5) out.push({ start: 0xffffffffff600000n, end: 0xffffffffff601000n, perms: '--xp', path: '[vsyscall]' });
  return out;
}

/** The same process later: regions grown into the room after them, merged, removed, new ones. */
export function later(rnd: () => number, rows: Row[]): Row[] {
  const out: Row[] = [];
  for (let k = 0; k < rows.length; k++) {
    const r = { ...rows[k]! };
    const next = rows[k + 1];
    const change = rnd();
    if (change < 0.03) continue;
    if (change < 0.1 && next !== undefined && next.start > r.end) r.end += ((next.start - r.end) * BigInt(Math.floor(rnd() * 100))) / 100n / 4096n * 4096n;
    else if (change < 0.13 && next !== undefined && next.start === r.end && next.perms === r.perms && next.path === r.path) {
      r.end = next.end;
      k++;
    }
    out.push(r);
    const room = rows[k + 1] === undefined ? 1n << 40n : rows[k + 1]!.start - r.end;
    if (rnd() < 0.02 && room >= pages(3)) out.push({ start: r.end + 4096n, end: r.end + 8192n, perms: 'rw-p', path: '' });
  }
  return out;
}

/** The rows as the kernel prints them (a file's path with a device and inode, as for a library). */
export const text = (rows: Row[]): Buffer =>
  Buffer.from(
    rows.map((r) => renderMapsLine({ ...r, offset: 0n, devMajor: r.path.startsWith('/') ? 8 : 0, devMinor: r.path.startsWith('/') ? 1 : 0, inode: r.path.startsWith('/') ? 4242n : 0n }, true)).join('\n') + '\n',
  );
