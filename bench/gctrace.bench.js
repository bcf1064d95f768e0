// `runbook parse gctrace FILE` end to end (spawned as a user runs it) over 1,000,000
// generated lines (~140 MB), interleaved with mawk computing only the maximum STW pause
// (sweep termination + mark termination) of the same file. Targets (issue 19): the CLI's
// time ≤ 1.0× mawk's, and its peak RSS flat when the input is 4× larger (4,000,000 lines).
// Lines mix bare, syslog-prefixed and app output. Run: `npm run bench -- gctrace`.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleaved, loadLine } from './measure.js';

const LINES = 1_000_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const bin = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));

/**
 * Writes `lines` gctrace lines to `file` in batches (the 4× file is 560 MB): the Go runtime's
 * fields and number formats (fmtNSAsMS), deterministic.
 */
function generate(file, lines) {
  const fd = openSync(file, 'w');
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const ms = (us) => (us >= 10_000 ? String(Math.floor(us / 1000)) : (us / 1000).toFixed(us >= 1000 ? 1 : 3));
  let out = [];
  for (let i = 1; i <= lines; i++) {
    if (out.length === 50_000) {
      writeSync(fd, `${out.join('\n')}\n`);
      out = [];
    }
    if (i % 10 === 0) {
      out.push(`app: served request ${i} in ${Math.floor(random() * 100)} ms`);
      continue;
    }
    const prefix = i % 3 === 0 ? 'Feb 26 13:56:33.456 ' : '';
    const sweep = Math.floor(random() * (i % 997 === 0 ? 90_000 : 300));
    const markTerm = Math.floor(random() * 400);
    const live = 100 + (i % 50);
    out.push(
      `${prefix}gc ${i} @${(i / 10).toFixed(3)}s 2%: ${ms(sweep)}+${ms(Math.floor(random() * 9000))}+${ms(markTerm)} ms clock, ` +
        `0.060+0.25/0.81/0.30+0.008 ms cpu, ${live * 2}->${live * 2 + 4}->${live} MB, ${live * 2 + 6} MB goal, 0 MB stacks, 0 MB globals, 8 P` +
        (i % 500 === 0 ? ' (forced)' : ''),
    );
  }
  writeSync(fd, `${out.join('\n')}\n`);
  closeSync(fd);
}

const AWK = String.raw`
match($0, /gc [0-9]+ @[0-9.]+s [0-9]+%: [0-9.]+\+[0-9.]+\+[0-9.]+ ms clock/) {
  split(substr($0, RSTART, RLENGTH), f, " "); split(f[5], t, "+");
  stw = t[1] + t[3]; if (stw > max) max = stw; n++
}
END { printf "%d %.3f\n", n, max }`;

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  const file = join(dir, 'gctrace.log');
  const large = join(dir, 'gctrace-4x.log');
  try {
    generate(file, LINES);
    generate(large, 4 * LINES);
    const awk = awkPath();
    const cases = [
      { name: `${awk.split('/').pop()} (max STW only)`, command: awk, args: [AWK, file] },
      { name: 'runbook parse gctrace', command: process.execPath, args: [bin, 'parse', 'gctrace', file] },
      { name: 'runbook parse gctrace (4× input)', command: process.execPath, args: [bin, 'parse', 'gctrace', large] },
    ];
    interleaved(cases, 1); // warm the file cache
    const [peer, ours, ours4] = interleaved(cases, RUNS);
    const row = (r) => `${r.name.padEnd(34)} wall ${r.wallMs.toFixed(0).padStart(6)} ms, CPU ${r.cpuMs.toFixed(0).padStart(6)} ms, peak RSS ${(r.rssKb / 1024).toFixed(0).padStart(4)} MiB`;
    process.stdout.write(
      `gctrace: ${LINES.toLocaleString('en-US')} lines (140 MB); ${loadLine()}; medians of ${RUNS} interleaved rounds\n` +
        `  ${row(peer)}\n` +
        `  ${row(ours)}  = ${(ours.wallMs / peer.wallMs).toFixed(2)}× wall, ${(ours.cpuMs / peer.cpuMs).toFixed(2)}× CPU  (target ≤ 1.0×)\n` +
        `  ${row(ours4)}  RSS ${(ours4.rssKb / ours.rssKb).toFixed(2)}× the 1× input's  (target: flat)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function awkPath() {
  for (const name of ['mawk', 'awk']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // try the next
    }
  }
  throw new Error('no awk installed');
}
