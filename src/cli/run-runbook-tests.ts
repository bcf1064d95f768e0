// `runbook test [PATHS…]`: replays each test case (runbooks/tests/*.yaml by default)
// against its bundle and prints one line per case. Exit 0 when every case passes, 1 when
// one fails, 2 when a case file is invalid (its problems as FILE:LINE:COL lines).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineSetup } from '../app/engine-setup.js';
import { ExitCode } from '../errors.js';
import { formatProblem } from '../runbook/problem.js';
import { loadCaseFile } from '../runbook-tests/case-file.js';
import { runCase } from '../runbook-tests/run-case.js';
import { setExitCode } from './exit-code.js';
import { expandYamlPaths } from './validate-runbooks.js';

const defaultCaseDir = join('runbooks', 'tests');

export async function runRunbookTests(paths: readonly string[]): Promise<void> {
  const files = await expandYamlPaths(paths.length > 0 ? paths : [defaultCaseDir]);
  if (files.length === 0) {
    process.stderr.write(`runbook test: no test cases (*.yaml) in ${paths.length > 0 ? paths.join(', ') : defaultCaseDir}\n`);
    setExitCode(ExitCode.usage);
    return;
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'runbook-test-'));
  let passed = 0;
  let failed = 0;
  let invalid = 0;
  try {
    for (const file of files) {
      const { testCase, problems } = await loadCaseFile(file);
      if (testCase === undefined) {
        invalid++;
        for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
        continue;
      }
      const result = await runCase(testCase, stateDir, engineSetup({ nonInteractive: true }, testCase.bundle).options);
      const bundle = testCase.bundle.split('/').pop();
      if (result.differences.length === 0) {
        passed++;
        process.stdout.write(`✔ ${file}: ${testCase.runbook.id} on ${bundle} → ${result.conclusion} (${result.path.length} steps)\n`);
      } else {
        failed++;
        process.stdout.write(`✘ ${file}: ${testCase.runbook.id} on ${bundle}\n${result.differences.map((d) => `    ${d}\n`).join('')}`);
      }
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
  const parts = [`${passed} passed`, ...(failed > 0 ? [`${failed} failed`] : []), ...(invalid > 0 ? [`${invalid} invalid`] : [])];
  process.stderr.write(`runbook test: ${parts.join(', ')} of ${files.length} case${files.length === 1 ? '' : 's'}\n`);
  setExitCode(invalid > 0 ? ExitCode.usage : failed > 0 ? ExitCode.stepFailed : ExitCode.ok);
}
