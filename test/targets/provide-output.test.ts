// Session.provideOutput: the TUI's paste-back. The pasted text goes through the step's
// parser and branches; step.finished says by_hand; nothing is run.
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resumeSession } from '../../src/engine/open-session.js';
import { UserError } from '../../src/errors.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { flagInteractor } from '../../src/engine/flag-interactor.js';
import { parseTarget } from '../../src/targets/target.js';
import { finished, journalOf, plainOptions, startSession, tempStateDir } from '../engine/helpers.js';

const runbook = fileURLToPath(new URL('../fixtures/targets/remote-check.yaml', import.meta.url));
let state: { dir: string; remove: () => void };
beforeEach(() => (state = tempStateDir()));
afterEach(() => state.remove());

describe('Session.provideOutput', () => {
  it('runs a run step on pasted text: parsed, branched on, recorded by hand', async () => {
    const { session } = await startSession(state.dir, runbook);
    try {
      const record = await session.provideOutput('echo', 'payload=by hand\nworkers=2\n');
      expect(record).toMatchObject({ step: 'echo', status: 'passed', by_hand: true, facts: { workers: 2 }, decision: { goto: 'few' } });
      expect(record?.output?.head).toBe('payload=by hand\nworkers=2\n');
      expect(session.state.currentStep).toBe('few');
      const outcome = await session.runToEnd();
      expect(outcome.conclusion?.finding).toBe('few');
      expect(finished(await journalOf(session), 'echo').map((r) => r.by_hand)).toEqual([true]);
    } finally {
      session.close();
    }
  });

  it('a read step takes pasted content the same way', async () => {
    const { session } = await startSession(state.dir, runbook);
    try {
      await session.runCurrent();
      const record = await session.provideOutput('proc', 'Name:\tsvc\nThreads:\t4\nVmRSS:\t 100 kB\n');
      expect(record).toMatchObject({ step: 'proc', status: 'passed', by_hand: true, facts: { threads: 4, vm_rss_kb: 100 }, decision: { goto: 'busy' } });
    } finally {
      session.close();
    }
  });

  it('refuses steps that have no output to paste', async () => {
    const { session } = await startSession(state.dir, runbook);
    try {
      expect(() => session.provideOutput('busy', 'x')).toThrow(UserError);
      expect(() => session.provideOutput('busy', 'x')).toThrow(/only run and read steps/);
    } finally {
      session.close();
    }
  });
});

describe('targets across resume', () => {
  it('a resumed session runs against the target it started with, by hand or not', async () => {
    const target = parseTarget('ssh://nobody@unreachable.invalid:2222');
    const { session } = await startSession(state.dir, runbook, { options: { target } });
    expect(session.state.target).toBe(target.url);
    const first = await session.provideOutput('echo', 'workers=8\n');
    expect(first?.by_hand).toBe(true);
    session.close();

    const resumed = await resumeSession({ id: session.id, runbook: await loadRunbook(runbook), stateDir: state.dir, interactor: flagInteractor({}), options: plainOptions, vars: {} });
    try {
      expect(resumed.options.target).toEqual(target);
      expect(resumed.state.currentStep).toBe('proc');
      const record = await resumed.provideOutput('proc', 'Threads:\t3\nVmRSS:\t 9 kB\n');
      expect(record).toMatchObject({ by_hand: true, decision: { goto: 'busy' } });
      const started = (await journalOf(resumed)).filter((r) => r.type === 'step.started' && r.step === 'proc');
      expect(started).toMatchObject([{ command: { target: target.url } }]);
    } finally {
      resumed.close();
    }
  });
});
