// pprof decode + diff of large.cpu.pb.gz (1.2 MB gzip, 20,430 samples, ~23k functions) against
// itself, side by side with `go tool pprof -top -diff_base` when `go` is on PATH.
// Target (issue 4): faster than go tool pprof. Reported, never asserted.
// Wall time and CPU time (user+sys) are both printed: on a shared 2-core machine wall time
// swings with load, CPU time much less. Go's CPU time comes from /usr/bin/time when present.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pprofDiffer } from '../dist/diffs/pprof.js';
import { decodeProfile } from '../dist/parsers/pprof/decode.js';
import { pprofParser } from '../dist/parsers/pprof.js';

const file = fileURLToPath(new URL('../test/fixtures/pprof/google_pprof/large.cpu.pb.gz', import.meta.url));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function time(runs, fn) {
  fn(); // warm-up: JIT and first-touch allocation
  const ms = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = cpuMs();
    fn();
    ms.push(performance.now() - t);
    cpu.push(cpuMs() - c);
  }
  return { median: median(ms), min: Math.min(...ms), cpu: median(cpu) };
}

function goAvailable() {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

export default async function bench() {
  const bytes = readFileSync(file);
  const fmt = ({ median: m, min, cpu }) =>
    `${m.toFixed(0)} ms wall median (min ${min.toFixed(0)} ms)${cpu === undefined ? '' : `, ${cpu.toFixed(0)} ms CPU`}`;
  const decode = time(10, () => decodeProfile(bytes));
  const top = time(10, () => pprofParser.parse(bytes, { top: 0 }));
  const diff = time(10, () => pprofDiffer.diff(bytes, bytes, { top: 0 }));
  const result = pprofDiffer.diff(bytes, bytes);
  process.stdout.write(`large.cpu.pb.gz: ${bytes.length} bytes\n`);
  process.stdout.write(`runbook pprof decode (gunzip + protobuf):       ${fmt(decode)}\n`);
  process.stdout.write(`runbook pprof parse (decode + -top, all rows):  ${fmt(top)}\n`);
  process.stdout.write(`runbook pprof diff (2 decodes + -diff_base):    ${fmt(diff)}  total_delta=${result.facts.total_delta}\n`);

  const go = goAvailable();
  if (!go) {
    process.stdout.write('go not on PATH: skipping `go tool pprof -top -diff_base`\n');
    return;
  }
  const timeBin = existsSync('/usr/bin/time');
  const wall = [];
  const cpu = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const args = ['tool', 'pprof', '-top', '-diff_base', file, file];
    const r = timeBin
      ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', 'go', ...args], { encoding: 'utf8' })
      : spawnSync('go', args, { encoding: 'utf8' });
    wall.push(performance.now() - t);
    if (r.status !== 0) {
      process.stdout.write(`go tool pprof failed: ${r.stderr}\n`);
      return;
    }
    const used = /cpu ([\d.]+) ([\d.]+)/.exec(r.stderr);
    if (used) cpu.push((Number(used[1]) + Number(used[2])) * 1000);
  }
  const goMs = { median: median(wall), min: Math.min(...wall), cpu: cpu.length ? median(cpu) : undefined };
  process.stdout.write(`go tool pprof -top -diff_base (${go}):  ${fmt(goMs)}, 3 runs\n`);
  process.stdout.write(`speed-up (median wall): ${(goMs.median / diff.median).toFixed(1)}x`);
  process.stdout.write(goMs.cpu === undefined ? '\n' : `; CPU: ${(goMs.cpu / diff.cpu).toFixed(1)}x\n`);
}
