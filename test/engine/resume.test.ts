import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resumeSession } from '../../src/engine/open-session.js';
import { UserError } from '../../src/errors.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { flagInteractor } from '../../src/engine/flag-interactor.js';
import { finished, fixture, journalOf, plainOptions, startSession, tempStateDir } from './helpers.js';

let state: ReturnType<typeof tempStateDir>;
beforeEach(() => {
  state = tempStateDir();
});
afterEach(() => state.remove());

async function stoppedAtQuestion(runbookFile: string): Promise<string> {
  const { session } = await startSession(state.dir, runbookFile);
  await expect(session.runToEnd()).rejects.toBeInstanceOf(UserError);
  session.close();
  return session.id;
}

describe('resume', () => {
  it('sets a torn last journal line aside, says so, and finishes the session', async () => {
    const id = await stoppedAtQuestion(fixture('ask.yaml'));
    const journal = join(state.dir, 'sessions', id, 'journal.jsonl');
    appendFileSync(journal, '{"v":1,"seq":99,"type":"step.star');
    const session = await resumeSession({
      id,
      runbook: await loadRunbook(fixture('ask.yaml')),
      stateDir: state.dir,
      interactor: flagInteractor({ restart: 'yes' }),
      options: plainOptions,
      vars: {},
    });
    expect(session.warnings).toEqual([expect.stringMatching(/journal line \d+ set aside: not a complete JSON line/)]);
    const outcome = await session.runToEnd();
    session.close();
    expect(outcome.conclusion?.finding).toBe('restarted');
    const records = await journalOf(session);
    expect(finished(records, 'restart').map((r) => r.status)).toEqual(['cancelled', 'passed']);
    expect(records.filter((r) => r.type === 'session.ended').map((r) => (r as { status: string }).status)).toEqual(['interrupted', 'concluded']);
  });

  it('keeps inputs and facts of the first run and warns when the runbook file changed', async () => {
    const copy = join(state.dir, 'manual.yaml');
    copyFileSync(fixture('manual.yaml'), copy);
    const file = join(state.dir, 'settings.conf');
    writeFileSync(file, 'mode = turbo\n');
    const { session: first } = await startSession(state.dir, copy, { vars: { file }, answers: { checks: 'all' } });
    await expect(first.runToEnd()).rejects.toThrow(/remark asks for a note/);
    first.close();
    writeFileSync(copy, `${readFileSync(copy, 'utf8')}# edited\n`);
    writeFileSync(file, 'mode = changed\n');
    const session = await resumeSession({
      id: first.id,
      runbook: await loadRunbook(copy),
      stateDir: state.dir,
      interactor: flagInteractor({ remark: 'all good' }),
      options: plainOptions,
      vars: {},
    });
    expect(session.warnings).toEqual([expect.stringMatching(/manual\.yaml changed since the session started/)]);
    expect(session.state.currentStep).toBe('remark');
    const outcome = await session.runToEnd();
    session.close();
    // settings ran once, before the resume: its facts come back from the journal.
    expect(outcome.conclusion?.text).toBe('mode turbo, 2 checked, note: all good');
  });

  it('refuses to resume a concluded session, and a session another live process holds', async () => {
    const { session } = await startSession(state.dir, fixture('ask.yaml'), { answers: { restart: 'no' } });
    await expect(
      resumeSession({ id: session.id, runbook: await loadRunbook(fixture('ask.yaml')), stateDir: state.dir, interactor: flagInteractor({}), options: plainOptions, vars: {} }),
    ).rejects.toThrow(/in use by this process/);
    await session.runToEnd();
    session.close();
    await expect(
      resumeSession({ id: session.id, runbook: await loadRunbook(fixture('ask.yaml')), stateDir: state.dir, interactor: flagInteractor({}), options: plainOptions, vars: {} }),
    ).rejects.toThrow(/already concluded/);
  });
});
