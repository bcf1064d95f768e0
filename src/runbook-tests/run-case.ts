// Runs one test case headless, through the same code path as
// `runbook run RUNBOOK --bundle DIR --non-interactive` (Session + the flag interactor),
// and compares the conclusion and the path taken with what the case expects.
import type { EngineOptions } from '../engine/options.js';
import type { Session } from '../engine/session.js';
import { createSession } from '../engine/open-session.js';
import { UserError } from '../errors.js';
import { flagInteractor } from '../engine/flag-interactor.js';
import type { RunbookCase } from './case-file.js';

export interface CaseResult {
  testCase: RunbookCase;
  /** The finding reached, or undefined when the run ended without one. */
  conclusion: string | undefined;
  path: string[];
  /** Why the run ended without a conclusion (a failed step, an unanswered question). */
  reason: string | undefined;
  /** What differs from the expectation; empty when the case passes. */
  differences: string[];
}

/** Sessions go to `stateDir` (a scratch directory: test runs are not incidents); `options`
 *  are those of a non-interactive run against the case's bundle. */
export async function runCase(testCase: RunbookCase, stateDir: string, options: EngineOptions): Promise<CaseResult> {
  let reason: string | undefined;
  let session: Session | undefined;
  try {
    session = await createSession({ runbook: testCase.runbook, stateDir, interactor: flagInteractor(testCase.answers), options, vars: testCase.vars });
    const outcome = await session.runToEnd();
    if (outcome.conclusion === undefined) reason = outcome.reason ?? outcome.status;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    reason = error.hint === undefined ? error.message : `${error.message} (${error.hint})`;
  } finally {
    session?.close();
  }
  const conclusion = session?.state.conclusion?.finding;
  const path = session?.state.path ?? [];
  return { testCase, conclusion, path, reason, differences: differences(testCase, conclusion, path, reason) };
}

function differences(testCase: RunbookCase, conclusion: string | undefined, path: string[], reason: string | undefined): string[] {
  const found: string[] = [];
  if (conclusion !== testCase.conclusion) {
    const got = conclusion === undefined ? `no conclusion${reason === undefined ? '' : ` (${reason})`}` : conclusion;
    found.push(`conclusion: expected ${testCase.conclusion}, got ${got}`);
  }
  const expected = testCase.path;
  const at = expected.findIndex((step, i) => path[i] !== step);
  const first = at === -1 && path.length !== expected.length ? expected.length : at;
  if (first !== -1) {
    const want = expected[first] ?? '(end)';
    const got = path[first] ?? '(end)';
    found.push(`path differs at step ${first + 1}: expected ${want}, got ${got} (expected ${expected.join(' → ')}; got ${path.join(' → ')})`);
  }
  return found;
}
