// Opening a session: a new one (inputs resolved, asking for missing ones; its dir, lock
// and journal created) or a resumed one (its journal replayed, interrupted steps recorded).
// What a session does once open is session.ts.
import { rmSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { processHostFor } from '../collectors/process-host-for.js';
import { UserError } from '../errors.js';
import { readJournal } from '../journal/reader.js';
import type { AlertRecord, NewRecord, SessionStartedRecord, StepFinishedRecord } from '../journal/records.js';
import { createSessionDir, lockSession, sessionPaths } from '../journal/session-dir.js';
import { newSessionId } from '../journal/session-id.js';
import { JournalWriter } from '../journal/writer.js';
import { createRedactor } from '../redact/create-redactor.js';
import type { Runbook } from '../runbook/types.js';
import { toolVersion } from '../util/version.js';
import { checkPidInputs } from './check-pid.js';
import type { EngineListener, Interactor } from './events.js';
import { discoverPprofInput, resolveInputs, resolveProcessNames } from './inputs.js';
import { SessionModel } from './model.js';
import type { EngineOptions } from './options.js';
import { Session } from './session.js';
import { sessionTarget, targetOfJournal, withSessionTarget } from './session-target.js';

const SECRET_MASK = '[secret]';

export interface SessionSetup {
  runbook: Runbook;
  stateDir: string;
  interactor: Interactor;
  options: EngineOptions;
  /** `--var name=value`, as text. */
  vars: Record<string, string>;
  /** Subscribed before the first record is written, so it sees session.started/resumed. */
  listener?: EngineListener;
  /** The alert the session answers (`runbook run --alert`), recorded for the notes. */
  alert?: AlertRecord;
  /** Stops the remote reads of opening (pid=name:, pid check, pprof probe): a fleet's
   *  per-target timeout and Ctrl+C reach a target that is still opening. */
  signal?: AbortSignal;
}

/** Starts a new session: resolves inputs (asking for missing ones), creates its dir and journal. */
export async function createSession(setup: SessionSetup): Promise<Session> {
  const { runbook, options } = setup;
  const inputs = await resolveInputs(runbook, {
    given: setup.vars,
    interactor: setup.interactor,
    replay: options.bundle !== undefined,
    ...(options.bundle === undefined && options.target !== undefined ? { target: options.target } : {}),
  });
  // Remote targets (docs/remote.md): --target, else a runbook input `target` of type target.
  const remote = options.bundle !== undefined ? undefined : sessionTarget(options.target, runbook, inputs);
  const host = processHostFor(remote, setup.signal);
  if (options.bundle === undefined) {
    await resolveProcessNames(runbook, inputs, host);
    await checkPidInputs(runbook, inputs, host);
  }
  const secretNames = Object.keys(inputs).filter((name) => runbook.inputs[name]?.type === 'secret');
  const redactor = createRedactor({ secrets: secretNames.map((name) => String(inputs[name])) });
  if (options.bundle === undefined && setup.vars.pprof === undefined) await discoverPprofInput(runbook, inputs, host);
  if (setup.signal?.aborted === true) throw new UserError('cancelled while opening the session');
  const target = options.bundle !== undefined ? 'bundle' : (remote?.url ?? 'local');
  const id = newSessionId(runbook.id);
  const paths = createSessionDir(setup.stateDir, id);
  const release = lockSession(paths, id);
  let writer: JournalWriter | undefined;
  try {
    writer = JournalWriter.create(paths.journal);
    const model = new SessionModel(runbook, {
      id,
      dir: paths.dir,
      // What front ends may show: secret inputs masked (templates read this.inputs).
      inputs: redactor.redactValue(inputs),
      target,
      ...(options.bundle !== undefined ? { bundle: options.bundle } : {}),
      startedAt: new Date().toISOString(),
    });
    const sessionOptions = withSessionTarget(options, remote);
    const session = new Session({ model, writer, paths, interactor: setup.interactor, options: sessionOptions, redactor, releaseLock: release, inputs });
    if (setup.listener) session.subscribe(setup.listener);
    session.begin([{
      type: 'session.started',
      session_id: id,
      runbook: { id: runbook.id, title: runbook.title, file: runbook.file, sha256: runbook.sha256 },
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, secretNames.includes(k) ? SECRET_MASK : v])),
      secret_inputs: secretNames,
      target,
      host: hostname(),
      user: userInfo().username,
      ...(options.bundle !== undefined ? { bundle: options.bundle } : {}),
      ...(setup.alert !== undefined ? { alert: redactor.redactValue(setup.alert) } : {}),
      tool_version: toolVersion(),
      mode: options.mode,
    }]);
    return session;
  } catch (error) {
    // Setup failed (disk full, a listener threw): the lock and the journal are released,
    // and a session that never journaled a record leaves nothing behind.
    const empty = writer === undefined || writer.records === 0;
    try {
      writer?.close();
    } catch {
      // The error that stopped the setup is the one to report (a full disk fails both).
    }
    release();
    if (empty) rmSync(paths.dir, { recursive: true, force: true });
    throw error;
  }
}

/** Reopens a session that did not conclude: steps found running are recorded interrupted
 *  and run again only once confirmed; inputs and facts are those of the first run
 *  (secret inputs were never written down: pass them again with `vars`). */
export async function resumeSession(setup: SessionSetup & { id: string }): Promise<Session> {
  const { runbook, options } = setup;
  const paths = sessionPaths(setup.stateDir, setup.id);
  const { records, setAside, lastSeq } = await readJournal(paths.journal);
  const started = records.find((r): r is SessionStartedRecord => r.type === 'session.started');
  if (!started) throw new UserError(`session ${setup.id} has no session.started record in ${paths.journal}`);
  if (records.some((r) => r.type === 'session.concluded')) {
    throw new UserError(`session ${setup.id} already concluded`, { hint: `export its notes, or start a new run of ${started.runbook.id}` });
  }
  const release = lockSession(paths, setup.id);
  try {
    const bundle = started.bundle;
    const inputs = await resolveInputs(runbook, {
      given: setup.vars,
      interactor: setup.interactor,
      replay: bundle !== undefined,
      previous: Object.fromEntries(Object.entries(started.inputs).filter(([k]) => !started.secret_inputs.includes(k))),
    });
    const redactor = createRedactor({ secrets: started.secret_inputs.map((name) => String(inputs[name] ?? '')).filter((v) => v !== '') });
    const model = new SessionModel(runbook, {
      id: setup.id,
      dir: paths.dir,
      inputs: redactor.redactValue(inputs),
      target: started.target,
      ...(bundle !== undefined ? { bundle } : {}),
      startedAt: started.t,
    });
    model.replay(records);
    const writer = JournalWriter.reopen(paths.journal, lastSeq);
    // The target is the one the session started with (src/targets).
    const remote = targetOfJournal(started.target);
    const resumedOptions = withSessionTarget({ ...options, ...(bundle !== undefined ? { bundle } : {}) }, remote);
    const session = new Session({ model, writer, paths, interactor: setup.interactor, options: resumedOptions, redactor, releaseLock: release, inputs });
    if (setup.listener) session.subscribe(setup.listener);
    if (started.runbook.sha256 !== runbook.sha256) {
      session.warnings.push(`${runbook.file} changed since the session started (sha256 ${started.runbook.sha256.slice(0, 12)} → ${runbook.sha256.slice(0, 12)}); steps run as the file reads now`);
    }
    for (const line of setAside) session.warnings.push(`journal line ${line.line} set aside: ${line.reason}`);
    const interrupted = [...model.unfinished.values()];
    const opening: NewRecord[] = [{ type: 'session.resumed', interrupted: interrupted.map((r) => r.step) }];
    for (const start of interrupted) {
      opening.push({
        type: 'step.finished',
        step: start.step,
        kind: start.kind,
        attempt: start.attempt,
        status: 'interrupted',
        duration_ms: Math.max(0, Date.now() - Date.parse(start.t)),
        reason: 'the tool stopped while this step was running',
      });
    }
    // Killed between a conclude step's finish and its session.concluded record: the
    // conclusion is not lost, the step runs again (it only renders the facts kept).
    const lastFinish = records.findLast((r): r is StepFinishedRecord => r.type === 'step.finished');
    if (interrupted.length === 0 && lastFinish?.kind === 'conclude' && lastFinish.status === 'passed') {
      opening.push({
        type: 'step.finished',
        step: lastFinish.step,
        kind: 'conclude',
        attempt: lastFinish.attempt,
        status: 'interrupted',
        duration_ms: 0,
        reason: 'the tool stopped before the conclusion was recorded',
      });
    }
    session.begin(opening);
    return session;
  } catch (error) {
    release();
    throw error;
  }
}
