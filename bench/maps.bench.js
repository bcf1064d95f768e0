// `runbook diff maps BEFORE AFTER` end to end (spawned as a user runs it) at 65,530 mappings
// each (vm.max_map_count's default, the worst case a live process can show), interleaved
// with `runbook --version`. Targets (issue 19): the diff's time beyond --version's < 200 ms,
// and its peak RSS flat when both inputs are 4× larger (262,120 mappings, a raised limit).
// The "after" snapshot grows Go's arena, [heap] and half of the glibc arenas in place, merges
// some anonymous neighbours and adds new mappings at the top — the shapes of a real leak.
// Run: `npm run bench -- maps`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleaved, loadLine } from './measure.js';

const MAPPINGS = 65_530;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const MiB = 1n << 20n;
const bin = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));

function line(start, end, perms, path = '', inode = 0, offset = 0n) {
  const head = `${start.toString(16).padStart(8, '0')}-${end.toString(16).padStart(8, '0')} ${perms} ${offset.toString(16).padStart(8, '0')} ${inode ? 'fe:00' : '00:00'} ${inode} `;
  return path === '' ? head : head.padEnd(73) + path;
}

function snapshot(grown, mappings) {
  const out = [line(0x400000n, 0x682000n, 'r-xp', '/srv/app', 2155182), line(0x35626000n, grown ? 0x365df000n : 0x35647000n, 'rw-p', '[heap]')];
  out.push(line(0xc000000000n, 0xc000000000n + (grown ? 32n : 4n) * MiB, 'rw-p'), line(0xc000000000n + (grown ? 32n : 4n) * MiB, 0xc004000000n, '---p'));
  let address = 0x7f0000000000n;
  let n = out.length;
  // glibc arena heaps: 64 MiB-aligned rw-p + ---p pairs.
  for (let i = 0; i < 200; i++, n += 2) {
    const used = (grown && i % 2 === 0 ? 16n * MiB : 132n * 1024n);
    out.push(line(address, address + used, 'rw-p'), line(address + used, address + 64n * MiB, '---p'));
    address += 64n * MiB;
  }
  // Small file and anonymous mappings (guard page + region, libraries) up to the limit.
  let i = 0;
  while (n < mappings - (grown ? 0 : 100)) {
    const size = BigInt(4096 * (1 + (i % 7)));
    if (i % 3 === 0) out.push(line(address, address + size, 'r--p', `/usr/lib/lib${i}.so`, 100000 + i, BigInt(i) * 4096n));
    else out.push(line(address, address + size, i % 3 === 1 ? '---p' : 'rw-p'));
    address += size + 4096n;
    n++;
    i++;
  }
  return `${out.join('\n')}\n`;
}

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  try {
    const files = (mappings, tag) => {
      const before = join(dir, `before-${tag}.maps`);
      const after = join(dir, `after-${tag}.maps`);
      writeFileSync(before, snapshot(false, mappings));
      writeFileSync(after, snapshot(true, mappings));
      return [before, after];
    };
    const node = (name, args) => ({ name, command: process.execPath, args: [bin, ...args] });
    const cases = [
      node('runbook --version', ['--version']),
      node('runbook diff maps', ['diff', 'maps', ...files(MAPPINGS, '1x')]),
      node('runbook diff maps (4× input)', ['diff', 'maps', ...files(4 * MAPPINGS, '4x')]),
    ];
    interleaved(cases, 1); // warm the file cache
    const [peer, ours, ours4] = interleaved(cases, RUNS);
    const row = (r) => `${r.name.padEnd(30)} wall ${r.wallMs.toFixed(0).padStart(5)} ms, CPU ${r.cpuMs.toFixed(0).padStart(5)} ms, peak RSS ${(r.rssKb / 1024).toFixed(0).padStart(4)} MiB`;
    process.stdout.write(
      `maps: ${MAPPINGS.toLocaleString('en-US')} mappings per snapshot; ${loadLine()}; medians of ${RUNS} interleaved rounds\n` +
        `  ${row(peer)}\n` +
        `  ${row(ours)}  beyond --version: wall ${(ours.wallMs - peer.wallMs).toFixed(0)} ms, CPU ${(ours.cpuMs - peer.cpuMs).toFixed(0)} ms  (target < 200 ms)\n` +
        `  ${row(ours4)}  RSS ${(ours4.rssKb / ours.rssKb).toFixed(2)}× the 1× input's  (target: flat)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
