// Start-up time of the built tool: `runbook --version` and `runbook run` on a trivial
// runbook (one conclude step), median and spread of N runs, in ms, wall clock from spawn
// to exit. Target (issue 3): --version well under 300 ms, a trivial run under 500 ms on
// the project's 2-core machine. Run: `npm run bench -- startup` (or node bench/startup.bench.js).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const bin = fileURLToPath(new URL('../bin/runbook.js', import.meta.url));

const TRIVIAL = `id: trivial
title: Trivial
summary: One conclusion and nothing else.
inputs: {}
steps:
  - id: done
    conclude: { finding: nothing, severity: info, text: nothing to see }
`;

function time(args, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'ignore', 'ignore'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`runbook ${args.join(' ')} exited ${result.status}`);
  return ms;
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(0)} ms (min ${sorted[0].toFixed(0)}, p90 ${at(0.9).toFixed(0)}, n=${sorted.length})`;
}

export default async function startupBench() {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  try {
    const runbook = join(dir, 'trivial.yaml');
    writeFileSync(runbook, TRIVIAL);
    const env = { ...process.env, RUNBOOK_STATE_DIR: join(dir, 'state'), RUNBOOK_CONFIG_DIR: join(dir, 'config'), CI: 'true' };
    const cases = [
      ['runbook --version', ['--version']],
      ['runbook run trivial.yaml --non-interactive', ['run', runbook, '--non-interactive']],
    ];
    // Wall clock on a shared machine: say how loaded it was.
    process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${RUNS} runs each\n`);
    for (const [name, args] of cases) {
      time(args, env); // warm the file cache
      const samples = Array.from({ length: RUNS }, () => time(args, env));
      process.stdout.write(`${name.padEnd(44)} ${summary(samples)}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await startupBench();
