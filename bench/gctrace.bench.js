// gctrace over 1,000,000 generated lines, side by side with awk computing the same maximum
// STW pause (sweep termination + mark termination). Target (issue 4): at least as fast as awk.
// Both sides read the same file from disk; lines mix bare, syslog-prefixed and app output.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gctraceParser } from '../dist/parsers/gctrace.js';
import { time } from './measure.js';

const LINES = 1_000_000;

// Same fields and number formats as the Go runtime (fmtNSAsMS); deterministic.
function generate(lines) {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const ms = (us) => (us >= 10_000 ? String(Math.floor(us / 1000)) : (us / 1000).toFixed(us >= 1000 ? 1 : 3));
  const out = [];
  for (let i = 1; i <= lines; i++) {
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
  return `${out.join('\n')}\n`;
}

const AWK = String.raw`
match($0, /gc [0-9]+ @[0-9.]+s [0-9]+%: [0-9.]+\+[0-9.]+\+[0-9.]+ ms clock/) {
  split(substr($0, RSTART, RLENGTH), f, " "); split(f[5], t, "+");
  stw = t[1] + t[3]; if (stw > max) max = stw; n++
}
END { printf "%d %.3f\n", n, max }`;

/** awk's wall time from here, its CPU time from GNU time when installed. */
function timeAwk(file) {
  const start = process.hrtime.bigint();
  const timed = existsSync('/usr/bin/time');
  const run = timed
    ? spawnSync('/usr/bin/time', ['-f', '%U %S', 'awk', AWK, file], { encoding: 'utf8' })
    : spawnSync('awk', [AWK, file], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpuLine = timed ? run.stderr.trim().split('\n').pop().split(' ').map(Number) : null;
  return { value: run.stdout.trim().split(' '), ms, cpuMs: cpuLine ? (cpuLine[0] + cpuLine[1]) * 1000 : Number.NaN };
}

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  const file = join(dir, 'gctrace.log');
  try {
    writeFileSync(file, generate(LINES));
    const runs = 3;
    const ours = [];
    const awk = [];
    const oursCpu = [];
    const awkCpu = [];
    let oursResult;
    let awkResult;
    for (let i = 0; i < runs; i++) {
      const a = time(() => gctraceParser.parse(readFileSync(file), { seriesLimit: 0 }).facts);
      ours.push(a.ms);
      oursCpu.push(a.cpuMs);
      oursResult = a.value;
      const b = timeAwk(file);
      awk.push(b.ms);
      awkCpu.push(b.cpuMs);
      awkResult = b.value;
    }
    const best = (xs) => Math.min(...xs);
    const rate = (ms) => `${Math.round(LINES / (ms / 1000)).toLocaleString('en-US')} lines/s`;
    process.stdout.write(
      `gctrace: ${LINES.toLocaleString('en-US')} lines (${oursResult.cycles} cycles), best of ${runs}\n` +
        `  runbook gctrace parser: wall ${best(ours).toFixed(0)} ms (${rate(best(ours))}), cpu ${best(oursCpu).toFixed(0)} ms (${rate(best(oursCpu))}); ` +
        `stw_max_ms=${oursResult.stw_max_ms} over ${oursResult.cycles} cycles, plus p50/p99, trend, pressure\n` +
        `  awk (${awkName()}), max only:  wall ${best(awk).toFixed(0)} ms (${rate(best(awk))}), cpu ${best(awkCpu).toFixed(0)} ms (${rate(best(awkCpu))}); ` +
        `max=${awkResult[1]} over ${awkResult[0]} cycles\n` +
        `  load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} CPUs\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function awkName() {
  try {
    return execFileSync('readlink', ['-f', execFileSync('sh', ['-c', 'command -v awk'], { encoding: 'utf8' }).trim()], { encoding: 'utf8' }).trim().split('/').pop();
  } catch {
    return 'awk';
  }
}
