// A session: runs a runbook step by step, journals every record, and lets a front end
// drive it (docs/engine.md "Driver API"). The plain runner calls runToEnd(); the TUI calls
// runCurrent()/skipCurrent()/rerun()/cancelCurrent() as the engineer presses keys. Opening
// one (new or resumed) is open-session.ts.
import { hostname } from 'node:os';
import { readBundle } from '../collectors/bundle.js';
import { ExitCode, InternalError, UserError, asInternalError, writeErrorDetails, writeRefused } from '../errors.js';
import { scopeFrom } from '../expr/index.js';
import { artifactPath, relativeToSession, writeArtifact } from '../journal/artifacts.js';
import type { JournalRecord, NewRecord, SessionConcludedRecord, SessionStatus, StepFinishedRecord } from '../journal/records.js';
import { lockOwner, type SessionPaths } from '../journal/session-dir.js';
import { JournalWriter } from '../journal/writer.js';
import type { Facts } from '../parsers/types.js';
import { createRedactor } from '../redact/create-redactor.js';
import type { Redactor } from '../redact/types.js';
import type { Step } from '../runbook/types.js';
import { toolVersion } from '../util/version.js';
import { previewCommand, type CommandPreview, type LiveInputs } from './command-preview.js';
import { answerDecision, decideNext } from './decide.js';
import type { EngineEvent, EngineListener, Interactor, SessionState } from './events.js';
import { compactFacts } from './facts.js';
import type { InputValue } from './inputs.js';
import { redactRecord } from '../journal/redact-record.js';
import type { SessionModel } from './model.js';
import type { EngineOptions } from './options.js';
import type { Builtins } from './scope.js';
import { STEP_EXECUTORS } from './steps/index.js';
import type { StepContext, StepOutcome } from './steps/types.js';

export interface SessionOutcome {
  status: Exclude<SessionStatus, 'running'>;
  exitCode: number;
  reason?: string;
  conclusion?: SessionConcludedRecord;
}

/** What a session runs with, prepared by open-session.ts. */
export interface SessionParts {
  model: SessionModel;
  writer: JournalWriter;
  paths: SessionPaths;
  interactor: Interactor;
  options: EngineOptions;
  redactor: Redactor;
  releaseLock: () => void;
  inputs: Record<string, InputValue>;
}

export class Session {
  private readonly listeners = new Set<EngineListener>();
  private controller: AbortController | null = null;
  private busy = false;
  /** Set while runToEnd() drives the session. */
  private driving = false;
  /** A cancel arrived while runToEnd() was driving: it ends the session instead of going on. */
  private stopRequested = false;
  private closed = false;
  /** The seq of the last record this session wrote: a closed session's journal reopens after it. */
  private lastSeq = 0;
  /** Interrupted steps found on resume: they run again only once confirmed. */
  private readonly needsConfirm = new Set<string>();
  /** Paste-back: step id → output the engineer pasted, used by the step's next run. */
  private readonly pasted = new Map<string, string>();
  private ended: SessionOutcome | null = null;
  /** The replayed bundle's pid and pprof, read once (bundleInputs). */
  private replayed: Record<string, unknown> | undefined;
  /** Things the engineer should know before going on (runbook edited, torn journal lines). */
  readonly warnings: string[] = [];

  private readonly model: SessionModel;
  private readonly writer: JournalWriter;
  readonly paths: SessionPaths;
  private readonly interactor: Interactor;
  readonly options: EngineOptions;
  private readonly redactor: Redactor;
  private readonly releaseLock: () => void;
  private readonly inputs: Record<string, InputValue>;

  /** Made by open-session.ts (createSession, resumeSession), which then calls begin(). */
  constructor(parts: SessionParts) {
    this.model = parts.model;
    this.writer = parts.writer;
    this.paths = parts.paths;
    this.interactor = parts.interactor;
    this.options = parts.options;
    this.redactor = parts.redactor;
    this.releaseLock = parts.releaseLock;
    this.inputs = parts.inputs;
    for (const [step, text] of Object.entries(this.options.pastedOutputs ?? {})) this.pasted.set(step, text);
  }

  /**
   * Journals the records that open the session (session.started, or session.resumed and the
   * steps it found interrupted), marks interrupted steps to ask before running again, and
   * tells the listeners where it stands.
   */
  begin(opening: NewRecord[]): void {
    for (const record of opening) this.write(record);
    // Interrupted on this resume or an earlier one that never re-ran it: ask before running.
    for (const step of this.state.steps) if (step.status === 'interrupted') this.needsConfirm.add(step.id);
    const current = this.state.currentStep;
    if (current !== null && !this.model.runbook.steps.some((s) => s.id === current)) {
      throw new UserError(`session ${this.id} stopped at step '${current}', which ${this.model.runbook.file} no longer has`);
    }
    this.emit({ type: 'current', step: current });
  }

  get id(): string {
    return this.model.state.id;
  }

  /** A fresh object after every change (safe for useSyncExternalStore). */
  get state(): SessionState {
    return this.model.state;
  }

  /** Steps that will ask before running again because they were interrupted. */
  get interruptedSteps(): string[] {
    return [...this.needsConfirm];
  }

  subscribe(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs the current step; resolves with its finish record (null when there is none). */
  runCurrent(): Promise<StepFinishedRecord | null> {
    const current = this.state.currentStep;
    return current === null ? Promise.resolve(null) : this.runStep(current);
  }

  /** Runs any step again (a new attempt); the session goes on from where that step leads. */
  rerun(stepId: string): Promise<StepFinishedRecord | null> {
    return this.runStep(stepId);
  }

  /** Paste-back: runs `stepId` (a run or read step) with `text` as its output instead of
   *  running it; the same parser and branches apply, and step.finished says by_hand. */
  provideOutput(stepId: string, text: string): Promise<StepFinishedRecord | null> {
    const step = this.stepById(stepId);
    if (step.kind !== 'run' && step.kind !== 'read') throw new UserError(`step ${stepId} is a ${step.kind} step; only run and read steps take pasted output`);
    this.pasted.set(stepId, text);
    return this.runStep(stepId);
  }

  /** Records the current step as skipped and moves to the next step in order. */
  skipCurrent(reason: string): StepFinishedRecord | null {
    const current = this.state.currentStep;
    if (current === null || this.busy || this.ended) return null;
    const step = this.stepById(current);
    this.needsConfirm.delete(current);
    const record = this.write({
      type: 'step.finished',
      step: current,
      kind: step.kind,
      attempt: this.model.attempts(current) + 1,
      status: 'skipped',
      duration_ms: 0,
      reason,
    }) as StepFinishedRecord;
    this.afterStep();
    return record;
  }

  /** Cancels the running step (its process group gets TERM, then KILL). Under runToEnd()
   *  the session then ends as cancelled; otherwise the cancelled step stays current. */
  cancelCurrent(): void {
    if (this.driving) this.stopRequested = true;
    this.controller?.abort();
  }

  addNote(text: string): void {
    const step = this.state.currentStep;
    this.write({ type: 'note.added', text, ...(step !== null ? { step } : {}) });
  }

  /** Notes were exported by the front end that drives this session (the TUI's `x`): the
   *  record goes through this session's own writer, the journal's only writer while it runs. */
  recordExport(format: 'md' | 'json', path: string): void {
    this.write({ type: 'session.exported', format, path });
  }

  /** Runs until the session concludes, a step fails with no branch for it (exit 1), or it
   *  is cancelled (130). A question nobody can answer ends it with the UserError's code. */
  async runToEnd(): Promise<SessionOutcome> {
    this.driving = true;
    try {
      while (this.ended === null) {
        if (this.stopRequested) return this.end('cancelled', 130, 'cancelled by the engineer');
        const record = await this.runCurrent();
        if (record === null) break;
        if (record.status === 'cancelled') return this.end('cancelled', 130, record.reason ?? 'cancelled');
        if ((record.status === 'failed' || record.status === 'timeout') && this.state.currentStep === record.step) {
          return this.end('failed', 1, `step ${record.step} ${record.status === 'timeout' ? 'timed out' : 'failed'}: ${record.reason ?? ''}`.trim());
        }
      }
    } catch (error) {
      const failure = error instanceof UserError ? error : this.bug(error);
      const exitCode = failure instanceof UserError ? failure.exitCode : ExitCode.internal;
      try {
        this.end('interrupted', exitCode, failure.message);
      } catch {
        // The journal itself cannot be written (disk full): the failure says so already.
      }
      throw failure;
    } finally {
      this.driving = false;
    }
    return this.ended ?? this.end('concluded', 0, 'reached the last step without a conclusion');
  }

  /** Ends the session (idempotent): session.ended is the last record of a run. */
  end(status: SessionOutcome['status'], exitCode: number, reason?: string): SessionOutcome {
    if (this.ended) return this.ended;
    const counts = this.redactor.counts();
    if (Object.keys(counts).length > 0) this.write({ type: 'redaction', counts });
    this.write({ type: 'session.ended', status, exit_code: exitCode, ...(reason !== undefined ? { reason } : {}) });
    this.ended = {
      status,
      exitCode,
      ...(reason !== undefined ? { reason } : {}),
      ...(this.state.conclusion ? { conclusion: this.state.conclusion } : {}),
    };
    this.emit({ type: 'current', step: null });
    return this.ended;
  }

  /** Flushes the journal and releases the session lock. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.writer.close();
    this.releaseLock();
  }

  private async runStep(stepId: string): Promise<StepFinishedRecord | null> {
    if (this.busy) throw this.bug(new Error(`cannot run ${stepId}: a step is already running`));
    if (this.ended) return null;
    const step = this.stepById(stepId);
    this.busy = true;
    try {
      if (this.needsConfirm.has(stepId) && !this.options.yes) {
        const again = await this.person().confirm(step, `Step ${stepId} was running when the tool stopped. Run it again?`);
        if (!again) return null;
      }
      this.needsConfirm.delete(stepId);
      return await this.execute(step);
    } finally {
      this.busy = false;
      this.controller = null;
    }
  }

  private async execute(step: Step): Promise<StepFinishedRecord> {
    const attempt = this.model.attempts(step.id) + 1;
    const controller = new AbortController();
    this.controller = controller;
    if (this.stopRequested) controller.abort();
    const layers = this.layers();
    let startedAt = Date.now();
    let startWritten = false;
    const ctx: StepContext = {
      step,
      attempt,
      paths: this.paths,
      layers,
      scope: scopeFrom(layers),
      inputs: this.inputs,
      declaredInputs: this.model.runbook.inputs,
      interactor: this.person(),
      signal: controller.signal,
      redactor: this.redactor,
      options: this.options,
      emit: (event) => this.emit(event),
      started: (command) => {
        if (startWritten) return;
        startWritten = true;
        startedAt = Date.now();
        this.write({
          type: 'step.started',
          step: step.id,
          kind: step.kind,
          attempt,
          ...(step.title !== undefined ? { title: step.title } : {}),
          ...(command !== undefined ? { command } : {}),
        });
      },
      artifact: (suffix) => artifactPath(this.paths, step.id, attempt, suffix),
      snapshotsBefore: () => this.model.snapshotIndex(step.id),
      snapshotDir: (id) => this.model.snapshotDirs.get(id),
    };
    let outcome: StepOutcome;
    const pasted = this.pasted.get(step.id);
    if (pasted !== undefined) {
      ctx.pastedOutput = pasted;
      this.pasted.delete(step.id);
    }
    let unanswerable: UserError | undefined;
    let bug: InternalError | undefined;
    try {
      outcome = await STEP_EXECUTORS[step.kind](ctx);
    } catch (error) {
      const refused = writeRefused(error, `the evidence of step ${step.id} in ${this.paths.artifacts}`, 'free space there, then run the step again');
      if (error instanceof UserError) {
        unanswerable = error;
        outcome = { status: 'cancelled', reason: error.message };
      } else if (refused !== undefined) {
        outcome = { status: 'failed', reason: refused.message };
      } else {
        // A bug: the step is recorded interrupted (resume offers to run it again) and the
        // session ends interrupted, exit 70.
        bug = this.bug(error);
        outcome = { status: 'interrupted', reason: `internal error (a bug in runbook): ${bug.message}; details in ${bug.detailsFile ?? 'no file'}` };
      }
    }
    ctx.started();
    const record = this.finish(step, attempt, Date.now() - startedAt, outcome);
    if (unanswerable) throw unanswerable;
    if (bug) {
      this.end('interrupted', ExitCode.internal, outcome.reason);
      throw bug;
    }
    return record;
  }

  private finish(step: Step, attempt: number, durationMs: number, outcome: StepOutcome): StepFinishedRecord {
    let status = outcome.status;
    let reason = outcome.reason;
    // Facts and meta are redacted before the session keeps them: the screen, the next
    // steps' templates and a resumed session (which reads facts.json) all see the same.
    const facts: Facts = this.redactor.redactValue(outcome.facts ?? {});
    if (outcome.meta) outcome = { ...outcome, meta: this.redactor.redactValue(outcome.meta) };
    const artifacts: Record<string, string> = {};
    for (const [name, path] of Object.entries(outcome.artifacts ?? {})) artifacts[name] = relativeToSession(this.paths, path);
    let journalFacts: Facts | undefined;
    if (Object.keys(facts).length > 0) {
      const factsFile = artifactPath(this.paths, step.id, attempt, 'facts.json');
      writeArtifact(factsFile, JSON.stringify(facts));
      artifacts.facts = relativeToSession(this.paths, factsFile);
      journalFacts = compactFacts(facts, artifacts.facts).facts;
    }
    let decision;
    if (outcome.answerGoto !== undefined && outcome.answer !== undefined && status === 'passed') {
      decision = answerDecision(step.id, outcome.answer, outcome.answerGoto);
    } else if (status === 'passed' || status === 'failed' || status === 'timeout') {
      // In its own `next` rules a step's facts are visible by bare name and by its id. A
      // failed step's rules see only how it failed (status, exit_code…): its facts are partial
      // (a compute key or a parse broke off), and a rule reading just the ones that were there
      // would diagnose as if the rest were too.
      const builtins = { ...(outcome.meta ?? {}), status };
      const own = { ...builtins, ...(status === 'passed' ? facts : {}), step: builtins };
      // The id first: a fact named like its step (`count.count`) must not hide the step.
      const layers = [{ [step.id]: own }, own, ...this.layers()];
      const decided = decideNext(step, status, layers, new Set(this.model.runbook.steps.map((s) => s.id)));
      decision = decided.decision;
      if (decided.error !== undefined) {
        status = 'failed';
        reason = decided.error;
      }
    }
    const record = this.write(
      {
        type: 'step.finished',
        step: step.id,
        kind: step.kind,
        attempt,
        status,
        duration_ms: durationMs,
        ...(reason !== undefined ? { reason } : {}),
        ...(outcome.exit_code !== undefined ? { exit_code: outcome.exit_code } : {}),
        ...(outcome.signal !== undefined ? { signal: outcome.signal } : {}),
        ...(journalFacts ? { facts: journalFacts } : {}),
        ...(outcome.meta ? { meta: outcome.meta } : {}),
        ...(outcome.warnings && outcome.warnings.length > 0 ? { warnings: outcome.warnings } : {}),
        artifacts,
        ...(outcome.output ? { output: outcome.output } : {}),
        ...(decision ? { decision } : {}),
        ...(outcome.answer !== undefined ? { answer: outcome.answer } : {}),
        ...(outcome.checklist ? { checklist: outcome.checklist } : {}),
        ...(outcome.note !== undefined ? { note: outcome.note } : {}),
        ...(outcome.by_hand === true ? { by_hand: true } : {}),
      },
      facts,
    ) as StepFinishedRecord;
    if (outcome.conclusion && status === 'passed') {
      const { finding, severity, text, remediation, numbers } = outcome.conclusion;
      this.write({
        type: 'session.concluded',
        step: step.id,
        finding,
        severity,
        text,
        ...(remediation !== undefined ? { remediation } : {}),
        ...(numbers !== undefined && Object.keys(numbers).length > 0 ? { numbers } : {}),
      });
      this.end('concluded', 0);
    }
    this.afterStep();
    return record;
  }

  /** After a step: the session ends when there is no step left. */
  private afterStep(): void {
    if (this.ended) return;
    if (this.state.currentStep === null) {
      this.end('concluded', 0, 'reached the last step without a conclusion');
      return;
    }
    this.emit({ type: 'current', step: this.state.currentStep });
  }

  private layers(): Array<Record<string, unknown>> {
    const builtins: Builtins = {
      session: { id: this.state.id, dir: this.paths.dir, host: hostname() },
      runbook: { id: this.model.runbook.id },
      target: this.state.target,
    };
    return [this.inputs, this.bundleInputs(), this.model.views, builtins as unknown as Record<string, unknown>];
  }

  /** A replay's `pid` and `pprof` where the inputs have none: the captured process's, from
   *  the bundle's meta.json, so a step run by hand (paste-back, `c`) names that process. */
  private bundleInputs(): Record<string, unknown> {
    if (this.options.bundle === undefined) return {};
    if (this.replayed === undefined) {
      try {
        const { pid, pprof } = readBundle(this.options.bundle).meta;
        this.replayed = { pid, ...(pprof !== undefined ? { pprof } : {}) };
      } catch {
        this.replayed = {};
      }
    }
    const given = (name: string): boolean => this.inputs[name] !== undefined && this.inputs[name] !== '';
    return Object.fromEntries(Object.entries(this.replayed).filter(([name]) => !given(name)));
  }

  /** What `stepId` would run now, filled in and pasteable (docs/tui.md); null: it runs nothing.
   *  Secret inputs are masked: the text is shown on screen. */
  commandPreview(stepId: string): CommandPreview | null {
    const step = this.stepById(stepId);
    const layers = this.layers();
    const live = { ...layers[1], ...Object.fromEntries(Object.entries(this.inputs).filter(([, v]) => v !== undefined && v !== '')) } as LiveInputs;
    const preview = previewCommand(step, scopeFrom(layers), live, this.options);
    if (preview === null || !preview.ok) return preview;
    const secrets = Object.keys(this.inputs).filter((name) => this.model.runbook.inputs[name]?.type === 'secret');
    const masker = createRedactor({ secrets: secrets.map((name) => String(this.inputs[name] ?? '')).filter((v) => v !== '') });
    return { ...preview, text: masker.redactText(preview.text) };
  }

  private stepById(id: string): Step {
    const step = this.model.runbook.steps.find((s) => s.id === id);
    if (!step) throw new UserError(`runbook ${this.model.runbook.id} has no step '${id}'`);
    return step;
  }

  /** The Interactor, announcing each question to the front ends first. */
  private person(): Interactor {
    const wait = (step: string, what: Extract<EngineEvent, { type: 'waiting' }>['what']): void => this.emit({ type: 'waiting', step, what });
    const i = this.interactor;
    return {
      ask: (step, spec) => (wait(step.id, 'answer'), i.ask(step, spec)),
      checklist: (step, spec) => (wait(step.id, 'checklist'), i.checklist(step, spec)),
      note: (step, spec) => (wait(step.id, 'note'), i.note(step, spec)),
      // The command is shown before it is journaled: masked here like the record will be.
      confirm: (step, question, command) => (wait(step.id, 'confirm'), i.confirm(step, question, command && this.redactor.redactValue(command))),
      input: (name, spec) => i.input(name, spec),
    };
  }

  /** A bug met while driving this session, as an InternalError whose redacted stack is in a
   *  file in the session dir (written once, however often it is rethrown). */
  private bug(error: unknown): InternalError {
    if (error instanceof InternalError && error.detailsFile !== undefined) return error;
    const bug = asInternalError(error, { sessionId: this.id, sessionDir: this.paths.dir });
    const redacted = new InternalError(this.redactor.redactText(bug.message), { sessionId: this.id, sessionDir: this.paths.dir, cause: bug.cause ?? bug });
    try {
      redacted.detailsFile = writeErrorDetails(this.paths.dir, redacted, toolVersion(), this.redactor.redactText);
    } catch {
      // A full disk: the top-level report tries the state dir.
    }
    return redacted;
  }

  private write(record: NewRecord, fullFacts?: Facts): JournalRecord {
    let stamped: JournalRecord;
    try {
      stamped = this.append(redactRecord(record, this.redactor));
    } catch (error) {
      throw writeRefused(error, `the journal ${this.paths.journal}`, `free space there, then: runbook resume ${this.id}`) ?? error;
    }
    this.lastSeq = stamped.seq;
    this.model.apply(stamped, fullFacts);
    this.emit({ type: 'record', record: stamped });
    return stamped;
  }

  /** A closed session (a fleet's finished target, its screen still open) still takes a note
   *  or an export record: its journal is reopened for that one append, as `runbook export`
   *  does, unless another live process has taken the session since. */
  private append(record: NewRecord): JournalRecord {
    if (!this.closed) return this.writer.append(record);
    const holder = lockOwner(this.paths);
    if (holder !== null) throw new UserError(`session ${this.id} is now driven by process ${holder}: add the note there`);
    const writer = JournalWriter.reopen(this.paths.journal, this.lastSeq);
    try {
      return writer.append(record);
    } finally {
      writer.close();
    }
  }

  private emit(event: EngineEvent): void {
    const state = this.state;
    for (const listener of this.listeners) listener(event, state);
  }
}
