// maps parse + diff at 65,530 mappings each (vm.max_map_count's default, the worst case a
// live process can show). Target (issue 4): the diff under 200 ms.
// The "after" snapshot grows Go's arena, [heap] and half of the glibc arenas in place, merges
// some anonymous neighbours and adds new mappings at the top — the shapes of a real leak.
import { cpus, loadavg } from 'node:os';
import { procMapsParser } from '../dist/parsers/proc-maps.js';
import { mapsDiffer } from '../dist/diffs/maps.js';
import { time } from './measure.js';

const MAPPINGS = 65_530;
const MiB = 1n << 20n;

function line(start, end, perms, path = '', inode = 0, offset = 0n) {
  const head = `${start.toString(16).padStart(8, '0')}-${end.toString(16).padStart(8, '0')} ${perms} ${offset.toString(16).padStart(8, '0')} ${inode ? 'fe:00' : '00:00'} ${inode} `;
  return path === '' ? head : head.padEnd(73) + path;
}

function snapshot(grown) {
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
  while (n < MAPPINGS - (grown ? 0 : 100)) {
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
  const before = snapshot(false);
  const after = snapshot(true);
  const runs = 5;
  const parses = [];
  const diffs = [];
  const parseCpu = [];
  const diffCpu = [];
  let facts;
  for (let i = 0; i < runs; i++) {
    const p = time(() => procMapsParser.parse(after));
    parses.push(p.ms);
    parseCpu.push(p.cpuMs);
    const d = time(() => mapsDiffer.diff(before, after));
    diffs.push(d.ms);
    diffCpu.push(d.cpuMs);
    facts = d.value.facts;
  }
  const sorted = (xs) => [...xs].sort((a, b) => a - b);
  const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
  process.stdout.write(
    `maps: ${facts.mappings_before.toLocaleString('en-US')} → ${facts.mappings_after.toLocaleString('en-US')} mappings, ${runs} runs\n` +
      `  parse (one snapshot)         wall best ${Math.min(...parses).toFixed(0).padStart(4)} ms, median ${median(parses).toFixed(0).padStart(4)} ms; cpu best ${Math.min(...parseCpu).toFixed(0)} ms\n` +
      `  diff (parses both + matches) wall best ${Math.min(...diffs).toFixed(0).padStart(4)} ms, median ${median(diffs).toFixed(0).padStart(4)} ms; cpu best ${Math.min(...diffCpu).toFixed(0)} ms  (target < 200 ms)\n` +
      `  load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs\n` +
      `  found: arena_growth_kb=${facts.arena_growth_kb} heap_growth_kb=${facts.heap_growth_kb} glibc_arena_growth_kb=${facts.glibc_arena_growth_kb} ` +
      `arenas ${facts.glibc_arena_count_before}→${facts.glibc_arena_count_after} new_region_count=${facts.new_region_count}\n`,
  );
}
