// Shared by the benches: wall time and this process's CPU time of one call. On a loaded
// machine (the 2-core dev machines often run at load 10+) CPU time is the fairer measure
// of the code itself; both are reported.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

export function time(fn) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * One run of a command, end to end as a user runs it: wall time from spawn to exit here;
 * CPU time and peak RSS from GNU time when installed (NaN otherwise). Output is discarded.
 */
export function runTimed(command, args, options = {}) {
  const timed = existsSync('/usr/bin/time');
  const start = process.hrtime.bigint();
  const run = timed
    ? spawnSync('/usr/bin/time', ['-f', '@@time %U %S %M', command, ...args], { ...options, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
    : spawnSync(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const line = timed ? /@@time ([\d.]+) ([\d.]+) (\d+)/.exec(run.stderr) : null;
  return {
    status: run.status,
    stderr: run.stderr,
    wallMs,
    cpuMs: line ? (Number(line[1]) + Number(line[2])) * 1000 : Number.NaN,
    rssKb: line ? Number(line[3]) : Number.NaN,
  };
}

export function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Runs each case `rounds` times, interleaved (a, b, a, b, …) so load swings hit every case
 * alike; medians of wall and CPU time and the largest RSS per case.
 */
export function interleaved(cases, rounds) {
  const samples = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    cases.forEach((c, i) => {
      const run = runTimed(c.command, c.args, c.options);
      if (run.status !== 0) throw new Error(`${c.name} exited ${run.status}: ${run.stderr.slice(0, 400)}`);
      samples[i].push(run);
    });
  }
  return cases.map((c, i) => ({
    name: c.name,
    wallMs: median(samples[i].map((s) => s.wallMs)),
    cpuMs: median(samples[i].map((s) => s.cpuMs)),
    rssKb: Math.max(...samples[i].map((s) => s.rssKb)),
  }));
}

export function loadLine() {
  return `load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} CPUs`;
}
