// pprof decode + diff of large.cpu.pb.gz (1.2 MB gzip, 20,430 samples, ~23k functions) against
// itself, side by side with `go tool pprof -top -diff_base` when `go` is on PATH.
// Target (issue 4): faster than go tool pprof. Reported, never asserted.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pprofDiffer } from '../dist/diffs/pprof.js';
import { decodeProfile } from '../dist/parsers/pprof/decode.js';
import { pprofParser } from '../dist/parsers/pprof.js';

const file = fileURLToPath(new URL('../test/fixtures/pprof/google_pprof/large.cpu.pb.gz', import.meta.url));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(runs, fn) {
  fn(); // warm-up: JIT and first-touch allocation
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return { median: median(ms), min: Math.min(...ms) };
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
  const fmt = ({ median: m, min }) => `${m.toFixed(0)} ms median (min ${min.toFixed(0)} ms)`;
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
  const wall = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = spawnSync('go', ['tool', 'pprof', '-top', '-diff_base', file, file], { encoding: 'utf8' });
    wall.push(performance.now() - t);
    if (r.status !== 0) {
      process.stdout.write(`go tool pprof failed: ${r.stderr}\n`);
      return;
    }
  }
  const goMs = { median: median(wall), min: Math.min(...wall) };
  process.stdout.write(`go tool pprof -top -diff_base (${go}):  ${fmt(goMs)} wall, 3 runs\n`);
  process.stdout.write(`speed-up (median): ${(goMs.median / diff.median).toFixed(1)}x\n`);
}
