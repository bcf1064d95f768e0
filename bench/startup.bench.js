// Start-up of the built tool as a user runs it, each figure a ratio to bare `node -e 0`
// measured in the same run, interleaved (issue 19): `runbook --version` (target ≤ 1.5×),
// `runbook list` (≤ 2.5×), and `runbook run` of a trivial runbook (one conclude step).
// Medians of N rounds; wall clock from spawn to exit, CPU time from GNU time.
// Run: `npm run bench -- startup` (or node bench/startup.bench.js after a build).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleaved, loadLine } from './measure.js';

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

export default async function startupBench() {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  try {
    const runbook = join(dir, 'trivial.yaml');
    writeFileSync(runbook, TRIVIAL);
    const options = { env: { ...process.env, RUNBOOK_STATE_DIR: join(dir, 'state'), RUNBOOK_CONFIG_DIR: join(dir, 'config'), CI: 'true' } };
    const node = (name, args, target) => ({ name, command: process.execPath, args, options, target });
    const cases = [
      node('node -e 0', ['-e', '0']),
      node('runbook --version', [bin, '--version'], 1.5),
      node('runbook list', [bin, 'list'], 2.5),
      node('runbook run trivial.yaml --non-interactive', [bin, 'run', runbook, '--non-interactive']),
    ];
    interleaved(cases, 1); // warm the file cache
    const rows = interleaved(cases, RUNS);
    const peer = rows[0];
    process.stdout.write(`${loadLine()}; medians of ${RUNS} interleaved rounds\n`);
    for (const [i, row] of rows.entries()) {
      const ratio = i === 0 ? '' : `  = ${(row.wallMs / peer.wallMs).toFixed(2)}× node wall, ${(row.cpuMs / peer.cpuMs).toFixed(2)}× CPU`;
      const target = cases[i].target ? `  (target ≤ ${cases[i].target}×)` : '';
      process.stdout.write(`${row.name.padEnd(44)} wall ${row.wallMs.toFixed(0).padStart(5)} ms, CPU ${row.cpuMs.toFixed(0).padStart(4)} ms${ratio}${target}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await startupBench();
