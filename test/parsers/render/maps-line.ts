// Renders /proc/PID/maps lines like the kernel (fs/proc/task_mmu.c show_map_vma: `%08lx-%08lx
// %s %08llx %02x:%02x %lu `, then padding to column 73 on 64-bit, then the path), or with the
// single spaces of hand-made files, so property tests can check parse(render(x)) === x.
import fc from 'fast-check';

export interface RenderedRegion {
  start: bigint;
  end: bigint;
  perms: string;
  offset: bigint;
  devMajor: number;
  devMinor: number;
  inode: bigint;
  path: string;
}

const hex = (n: bigint | number, width: number): string => n.toString(16).padStart(width, '0');

export function renderMapsLine(r: RenderedRegion, kernelPadding: boolean): string {
  const head = `${hex(r.start, 8)}-${hex(r.end, 8)} ${r.perms} ${hex(r.offset, 8)} ${hex(r.devMajor, 2)}:${hex(r.devMinor, 2)} ${r.inode} `;
  if (!kernelPadding) return r.path === '' ? head.trimEnd() : head + r.path;
  return r.path === '' ? head : head.padEnd(73, ' ') + r.path;
}

const permsArbitrary = fc
  .tuple(fc.constantFrom('r', '-'), fc.constantFrom('w', '-'), fc.constantFrom('x', '-'), fc.constantFrom('p', 's'))
  .map((p) => p.join(''));

// Paths as the kernel prints them: runs of spaces, " (deleted)", "\012" for a newline, names.
const pathArbitrary = fc.oneof(
  fc.constant(''),
  fc.constantFrom('[heap]', '[stack]', '[vdso]', '[vvar]', '[vvar_vclock]', '[vsyscall]', '[anon:Heap Layer]', '[anon: Go: heap]', '[anon: glibc: malloc arena]'),
  fc
    .array(fc.constantFrom('usr', 'lib', 'odd  maps', 'new\\012line', 'a b', 'libc.so.6', 'x'), { minLength: 1, maxLength: 4 })
    .chain((parts) => fc.constantFrom(`/${parts.join('/')}`, `/${parts.join('/')} (deleted)`)),
);

export const regionArbitrary: fc.Arbitrary<RenderedRegion> = fc
  .record({
    start: fc.bigInt({ min: 0n, max: (1n << 64n) - 2n }),
    length: fc.bigInt({ min: 1n, max: 1n << 40n }),
    perms: permsArbitrary,
    offset: fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }),
    devMajor: fc.integer({ min: 0, max: 255 }),
    devMinor: fc.integer({ min: 0, max: 255 }),
    inode: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    path: pathArbitrary,
  })
  .map(({ start, length, ...rest }) => {
    const end = start + length > (1n << 64n) - 1n ? (1n << 64n) - 1n : start + length;
    return { start, end, ...rest };
  });
