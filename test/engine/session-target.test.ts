// A session runs on its own target only. `runbook --target URL` puts the URL into the
// engine options of everything the home screen starts, but a bundle replay started there,
// or a local session resumed there, must not send its steps to that host.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resumeSession } from '../../src/engine/open-session.js';
import { UserError } from '../../src/errors.js';
import type { JournalRecord } from '../../src/journal/records.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { flagInteractor } from '../../src/engine/flag-interactor.js';
import { parseTarget } from '../../src/targets/target.js';
import { fixture, journalOf, plainOptions, startSession, tempStateDir } from './helpers.js';

/** Nothing listens on port 1: a step sent there fails with ssh's "Connection refused". */
const unreachable = parseTarget('ssh://127.0.0.1:1');

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => {
  state = tempStateDir();
});
afterEach(() => state.remove());

function commandTargets(records: JournalRecord[]): string[] {
  return records.flatMap((r) => (r.type === 'step.started' && r.command !== undefined ? [r.command.target] : []));
}

describe('the session’s own target', () => {
  it('a bundle replay started with a --target in the options reads locally', async () => {
    const { session } = await startSession(state.dir, fixture('snapshot.yaml'), { options: { bundle: fixture('bundle-leaky'), target: unreachable } });
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome.conclusion?.finding).toBe('rss-growth');
    expect(commandTargets(await journalOf(session))).not.toContain(unreachable.url);
  });

  it('a local session resumed with a --target in the options runs its steps locally', async () => {
    const file = join(state.dir, 'ask-then-run.yaml');
    writeFileSync(
      file,
      [
        'id: ask-then-run',
        'title: A question, then a command',
        'summary: Stops at the question; the command runs after resume.',
        'steps:',
        '  - id: ready',
        '    ask: { question: Go on?, choices: [{ value: "yes" }] }',
        '  - id: hello',
        '    run: { argv: [printf, hello] }',
        '  - id: done',
        '    conclude: { finding: ran, severity: info, text: "{{ hello.exit_code }}" }',
        '',
      ].join('\n'),
    );
    const { session: first } = await startSession(state.dir, file);
    await expect(first.runToEnd()).rejects.toBeInstanceOf(UserError);
    first.close();
    const resumed = await resumeSession({
      id: first.id,
      runbook: await loadRunbook(file),
      stateDir: state.dir,
      interactor: flagInteractor({ ready: 'yes' }),
      options: { ...plainOptions, target: unreachable },
      vars: {},
    });
    const outcome = await resumed.runToEnd();
    resumed.close();
    expect(outcome.conclusion?.finding).toBe('ran');
    expect(commandTargets(await journalOf(resumed))).toEqual(['local']);
  });
});
