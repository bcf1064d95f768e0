// `runbook parse goroutines FILE` end to end (spawned as a user runs it) on a debug=2 dump of
// ~250 MB — ~490,000 goroutines over 16 stacks, as a service leaking goroutines writes it —
// and on one 4× larger (~1 GB, ~2,000,000 goroutines: the size a leak of a million goroutines
// reaches), interleaved with mawk counting the same goroutines (the peer: one pass over the
// lines, no parsing; not grep, which stops at the first match when its output is /dev/null). Target (issue 17 item 4): peak RSS flat at 4× input,
// bounded by the groups, not the dump. Run: `npm run bench -- goroutines`.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRepeatedDump } from '../test/helpers/goroutine-dump.mjs';
import { interleaved, loadLine } from './measure.js';

const BYTES = 250 * 10 ** 6;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const bin = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));
const source = fileURLToPath(new URL('../test/fixtures/goroutines-leaks/http-body-leak.after.debug2.txt', import.meta.url));

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  const file = join(dir, 'goroutine-debug2.txt');
  const large = join(dir, 'goroutine-debug2-4x.txt');
  try {
    const one = writeRepeatedDump(source, file, BYTES);
    const four = writeRepeatedDump(source, large, 4 * BYTES);
    const awk = existsSync('/usr/bin/mawk') ? 'mawk' : 'awk';
    const cases = [
      { name: `${awk} (count goroutines)`, command: awk, args: ['/^goroutine / { n++ } END { print n }', file] },
      { name: 'runbook parse goroutines', command: process.execPath, args: [bin, 'parse', 'goroutines', file] },
      { name: 'runbook parse goroutines (4×)', command: process.execPath, args: [bin, 'parse', 'goroutines', large] },
    ];
    interleaved(cases, 1); // warm the file cache
    const [peer, ours, ours4] = interleaved(cases, RUNS);
    const mb = (bytes) => `${(bytes / 10 ** 6).toFixed(0)} MB`;
    const row = (r) => `${r.name.padEnd(30)} wall ${r.wallMs.toFixed(0).padStart(6)} ms, CPU ${r.cpuMs.toFixed(0).padStart(6)} ms, peak RSS ${(r.rssKb / 1024).toFixed(0).padStart(4)} MiB`;
    process.stdout.write(
      `goroutines: debug=2 dump of ${mb(one.bytes)} (${one.goroutines.toLocaleString('en-US')} goroutines), 4×: ${mb(four.bytes)} ` +
        `(${four.goroutines.toLocaleString('en-US')}); ${loadLine()}; medians of ${RUNS} interleaved rounds\n` +
        `  ${row(peer)}\n` +
        `  ${row(ours)}  = ${(ours.wallMs / peer.wallMs).toFixed(2)}× wall, ${(ours.cpuMs / peer.cpuMs).toFixed(2)}× CPU, ${(one.bytes / 10 ** 6 / (ours.cpuMs / 1000)).toFixed(0)} MB/s of CPU\n` +
        `  ${row(ours4)}  = ${(ours4.cpuMs / ours.cpuMs).toFixed(2)}× the 1× CPU; RSS ${(ours4.rssKb / ours.rssKb).toFixed(2)}× the 1× input's  (target: flat)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
