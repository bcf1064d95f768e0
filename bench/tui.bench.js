// First frame of the home screen (issue 19, target ≤ 0.5 s): from spawning `runbook` (no
// arguments) in a real terminal (tmux, 100×30) to the first screen that shows the home
// title, beside a peer started the same way in the same run, interleaved: bare node
// printing the same title (`node -e`), so tmux, the polling and the machine's load weigh on
// both. Wall time from spawn to the title on screen (tmux polled every 5 ms); CPU time of the
// process up to that moment (/proc/PID/stat, 10 ms ticks), the fairer figure on a loaded
// machine. Medians of N rounds. Run: `npm run bench -- tui` (or node bench/tui.bench.js).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLine, median } from './measure.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const bin = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));
const HOME_TITLE = 'guided diagnosis of Go memory and GC incidents';
const TARGET_MS = 500;
const TICK_MS = 1000 / 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

function tmux(...args) {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

/** utime + stime of `pid` so far, in ms. */
function cpuMsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Wall and CPU ms from spawning `argv` in a fresh tmux window to HOME_TITLE on its screen. */
async function firstFrame(argv, stateDir, run) {
  const name = `runbook-bench-${process.pid}-${run}`;
  const started = process.hrtime.bigint();
  tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', 'env', '-u', 'CI', `XDG_STATE_HOME=${stateDir}`, ...argv);
  try {
    // env execs node: the pane's process is the one measured.
    const pid = tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim();
    for (;;) {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (tmux('capture-pane', '-p', '-t', name).includes(HOME_TITLE)) return { wallMs, cpuMs: cpuMsOf(pid) };
      if (wallMs > 20_000) throw new Error(`${argv.join(' ')}: no home screen within 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    tmux('kill-session', '-t', name);
  }
}

export default async function bench() {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
  } catch {
    process.stdout.write('tmux is not installed: skipped\n');
    return;
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'runbook-bench-tui-'));
  const cases = [
    { name: 'node -e (prints the title)', argv: [process.execPath, '-e', `process.stdout.write(${JSON.stringify(HOME_TITLE)}); setInterval(() => {}, 1000)`] },
    { name: 'runbook home screen', argv: [process.execPath, bin] },
  ];
  try {
    const samples = cases.map(() => []);
    for (let run = 0; run < RUNS; run++) {
      for (const [i, c] of cases.entries()) samples[i].push(await firstFrame(c.argv, stateDir, `${run}-${i}`));
    }
    const [peer, ours] = samples.map((s) => ({ wallMs: median(s.map((x) => x.wallMs)), cpuMs: median(s.map((x) => x.cpuMs)) }));
    const row = (name, r) => `  ${name.padEnd(28)} wall ${r.wallMs.toFixed(0).padStart(5)} ms, CPU ${r.cpuMs.toFixed(0).padStart(4)} ms`;
    process.stdout.write(
      `first frame in tmux 100×30; ${loadLine()}; medians of ${RUNS} interleaved rounds\n` +
        `${row(cases[0].name, peer)}\n` +
        `${row(cases[1].name, ours)}  = ${(ours.wallMs / peer.wallMs).toFixed(2)}× wall, ${(ours.cpuMs / peer.cpuMs).toFixed(2)}× CPU; ` +
        `${(ours.wallMs - peer.wallMs).toFixed(0)} ms wall beyond the peer  (target: first frame ≤ ${TARGET_MS} ms)\n`,
    );
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
