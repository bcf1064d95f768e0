// `runbook resume ID`: reopen a session that did not conclude and drive it to its end.
import { wantsInteractive } from './interactive.js';
import { resumeSession } from '../engine/open-session.js';
import { UserError } from '../errors.js';
import { readJournal } from '../journal/reader.js';
import type { SessionStartedRecord } from '../journal/records.js';
import { sessionPaths } from '../journal/session-dir.js';
import { findSession } from '../journal/sessions.js';
import { loadRunbook } from '../runbook/load.js';
import { engineSetup, type CommonFlags } from './engine-setup.js';
import { reportFailure } from './report-failure.js';
import { flagInteractor } from '../engine/flag-interactor.js';
import { parsePairs } from '../runner/flag-pairs.js';
import { plainListener, runPlain } from '../runner/run-plain.js';

export interface ResumeFlags extends CommonFlags {
  id: string;
  var?: string[];
  answer?: string[];
}

export async function resumeCommand(flags: ResumeFlags): Promise<number> {
  const setup = engineSetup(flags);
  const id = findSession(setup.stateDir, flags.id);
  if (wantsInteractive({ nonInteractive: flags.nonInteractive === true, json: flags.json === true, interactive: flags.interactive === true })) {
    const { runTui } = await import('../tui/run-tui.js');
    return runTui({ start: { kind: 'session', request: { kind: 'resume', id, vars: parsePairs(flags.var, 'var') } }, setup, reportFailure });
  }
  const { records } = await readJournal(sessionPaths(setup.stateDir, id).journal);
  const started = records.find((r): r is SessionStartedRecord => r.type === 'session.started');
  if (!started) throw new UserError(`session ${id} has no session.started record; it cannot be resumed`);
  const runbook = await loadRunbook(started.runbook.file);
  const session = await resumeSession({
    id,
    runbook,
    stateDir: setup.stateDir,
    interactor: flagInteractor(parsePairs(flags.answer, 'answer')),
    options: setup.options,
    vars: parsePairs(flags.var, 'var'),
    listener: plainListener({ json: flags.json === true }),
  });
  return runPlain(session, flags.notes);
}
