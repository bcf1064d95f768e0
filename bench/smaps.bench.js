// smaps snapshot at vm.max_map_count: a real process holding ~65,000 mappings (python3's
// mmap, alternating PROT_READ and read-write pages so the kernel cannot merge them), read
// from /proc, parsed and diffed the way a snapshot step does. Target (issue 12): a snapshot
// "well under a second". Without python3 the read is skipped and a synthetic file is parsed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readProcFile } from '../dist/collectors/proc-file.js';
import { collectSnapshot } from '../dist/collectors/snapshot.js';
import { procSmapsParser } from '../dist/parsers/proc-smaps.js';
import { smapsDiffer } from '../dist/diffs/smaps.js';
import { time } from './measure.js';

const MAPPINGS = 65_000;
const HOLDER = `
import mmap, os, sys
keep = []
for i in range(${MAPPINGS}):
    rw = i % 2 == 1
    m = mmap.mmap(-1, 4096 * (1 + i % 3), flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, prot=mmap.PROT_READ | (mmap.PROT_WRITE if rw else 0))
    if rw: m[0:1] = b'x'
    keep.append(m)
print(os.getpid(), flush=True)
sys.stdin.read()
`;

async function startHolder() {
  const child = spawn('python3', ['-c', HOLDER], { stdio: ['pipe', 'pipe', 'ignore'] });
  const failed = new Promise((resolve) => child.on('error', () => resolve(undefined)));
  const lines = createInterface({ input: child.stdout });
  const pid = await Promise.race([new Promise((resolve) => lines.once('line', (line) => resolve(Number(line)))), failed]);
  return pid === undefined ? undefined : { pid, stop: () => child.stdin.end() };
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
const row = (name, runs) =>
  `  ${name.padEnd(34)} wall best ${Math.min(...runs.map((r) => r.ms)).toFixed(0).padStart(4)} ms, median ${median(runs.map((r) => r.ms)).toFixed(0).padStart(4)} ms; ` +
  `cpu best ${Math.min(...runs.map((r) => r.cpuMs)).toFixed(0)} ms\n`;

export default async function bench() {
  const holder = await startHolder();
  if (holder === undefined) {
    process.stdout.write('smaps: python3 is not installed: no process with 65,000 mappings to read (skipped)\n');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'runbook-smaps-bench-'));
  try {
    const path = `/proc/${holder.pid}/smaps`;
    const reads = [];
    const parses = [];
    const diffs = [];
    const snapshots = [];
    let bytes;
    let facts;
    for (let i = 0; i < 5; i++) {
      const r = time(() => readProcFile(path, { initialBytes: 64 << 20, maxBytes: 256 << 20 }));
      reads.push(r);
      bytes = r.value.bytes;
      const p = time(() => procSmapsParser.parse(bytes));
      parses.push(p);
      facts = p.value.facts;
      diffs.push(time(() => smapsDiffer.diff(bytes, bytes)));
      const out = join(dir, String(i));
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      await collectSnapshot({ collect: ['smaps'], pid: holder.pid, outDir: out, ...(i > 0 ? { compareTo: { dir: join(dir, String(i - 1)) } } : {}) });
      const used = process.cpuUsage(cpu);
      if (i > 0) snapshots.push({ ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000 });
    }
    process.stdout.write(
      `smaps: ${facts.mappings.toLocaleString('en-US')} mappings, ${(bytes.length / 1e6).toFixed(1)} MB of text, 5 runs\n` +
        row('read (/proc, to EOF)', reads) +
        row('parse (one snapshot)', parses) +
        row('diff (parses both + matches)', diffs) +
        row('snapshot step (read+write+parse+diff)', snapshots) +
        `  load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs\n`,
    );
  } finally {
    holder.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
