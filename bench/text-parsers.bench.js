// `runbook parse key-value FILE` and `runbook parse escape FILE` end to end (spawned as a user
// runs them) on ~100 MB of generated input and on 4× that, the text parsers that stream since
// issue 17 item 4 (docs/parsers.md § Inputs of any size); key-value beside mawk keeping the
// last value of each key (the peer: one pass, no number or name conversion). Target: peak RSS
// flat at 4× input, CPU linear in it. Run: `npm run bench -- text-parsers`.
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleaved, loadLine } from './measure.js';

const BYTES = 100 * 10 ** 6;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const bin = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));
const escapeOutput = readFileSync(new URL('../test/fixtures/escape/leaky.m2.txt', import.meta.url), 'utf8');

/** Writes `head`, then `block(i)` for i = 0, 1, … until past `bytes`; the bytes written. */
function write(path, head, bytes, block) {
  const fd = openSync(path, 'w');
  try {
    let written = writeSync(fd, head);
    for (let i = 0; written < bytes; i++) written += writeSync(fd, block(i));
    return written;
  } finally {
    closeSync(fd);
  }
}

const keyValues = (i) => Array.from({ length: 1000 }, (_, k) => `Key ${k} of the api-server: ${i}\n`).join('');
// A module's -m=2 output is mostly inlining decisions; the escapes are a real build's.
const inlining = (i) => Array.from({ length: 100 }, (_, k) => `./gen/f${i}.go:${k + 1}:6: can inline gen.f${i}_${k} with cost 4 as: func() int { return ${k} }\n`).join('');

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  try {
    const files = {};
    for (const [name, head, block] of [['kv', '', keyValues], ['escape', escapeOutput, inlining]]) {
      files[name] = join(dir, `${name}.txt`);
      files[`${name}4`] = join(dir, `${name}-4x.txt`);
      write(files[name], head, BYTES, block);
      write(files[`${name}4`], head, 4 * BYTES, block);
    }
    const awk = existsSync('/usr/bin/mawk') ? 'mawk' : 'awk';
    const cases = [
      { name: `${awk} (last value per key)`, command: awk, args: ['-F: ', '{ v[$1] = $2 } END { print length(v) }', files.kv] },
      { name: 'runbook parse key-value', command: process.execPath, args: [bin, 'parse', 'key-value', files.kv] },
      { name: 'runbook parse key-value (4×)', command: process.execPath, args: [bin, 'parse', 'key-value', files.kv4] },
      { name: 'runbook parse escape', command: process.execPath, args: [bin, 'parse', 'escape', files.escape] },
      { name: 'runbook parse escape (4×)', command: process.execPath, args: [bin, 'parse', 'escape', files.escape4] },
    ];
    interleaved(cases, 1); // warm the file cache
    const [peer, kv, kv4, esc, esc4] = interleaved(cases, RUNS);
    const row = (r) => `${r.name.padEnd(32)} wall ${r.wallMs.toFixed(0).padStart(6)} ms, CPU ${r.cpuMs.toFixed(0).padStart(6)} ms, peak RSS ${(r.rssKb / 1024).toFixed(0).padStart(4)} MiB`;
    const rate = (r) => `${(BYTES / 10 ** 6 / (r.cpuMs / 1000)).toFixed(0)} MB/s of CPU`;
    const scale = (r4, r) => `${(r4.cpuMs / r.cpuMs).toFixed(2)}× the 1× CPU; RSS ${(r4.rssKb / r.rssKb).toFixed(2)}× the 1× input's  (target: flat)`;
    process.stdout.write(
      `text parsers: ${BYTES / 10 ** 6} MB inputs and 4×; ${loadLine()}; medians of ${RUNS} interleaved rounds\n` +
        `  ${row(peer)}\n` +
        `  ${row(kv)}  = ${(kv.cpuMs / peer.cpuMs).toFixed(2)}× CPU, ${rate(kv)}\n` +
        `  ${row(kv4)}  = ${scale(kv4, kv)}\n` +
        `  ${row(esc)}  = ${rate(esc)}\n` +
        `  ${row(esc4)}  = ${scale(esc4, esc)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
