// First frame of the home screen: wall clock from spawning `runbook` (no arguments) in a
// real terminal (tmux, 100×30) to the first screen that shows the home title, median and
// spread of N runs, in ms. tmux is polled every 5 ms, so figures are within ~5 ms plus
// one capture. Target (issue 6): fast enough that `npm start` feels immediate (< 1 s on
// the project's 2-core machine). Run: `npm run bench -- tui` (or node bench/tui.bench.js).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const bin = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));
const HOME_TITLE = 'guided diagnosis of Go memory and GC incidents';

function tmux(...args) {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

async function firstFrameMs(stateDir, run) {
  const name = `runbook-bench-${process.pid}-${run}`;
  const started = process.hrtime.bigint();
  tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', 'env', '-u', 'CI', `XDG_STATE_HOME=${stateDir}`, process.execPath, bin);
  try {
    for (;;) {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (tmux('capture-pane', '-p', '-t', name).includes(HOME_TITLE)) return ms;
      if (ms > 20_000) throw new Error('no home screen within 20 s');
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
  try {
    const times = [];
    for (let run = 0; run < RUNS; run++) times.push(await firstFrameMs(stateDir, run));
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    process.stdout.write(
      `home screen first frame (tmux 100×30): median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)} (${RUNS} runs)\n`,
    );
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
