// The fan-out: one child session per target (a normal session with its own journal,
// resumable by `runbook resume`), at most `concurrency` at once, each cancelled at its
// timeout; a failure on one target is recorded with its reason and the others go on.
// cancel() (the first Ctrl+C) cancels every running child and starts no new one.
import type { EngineListener, Interactor } from '../engine/events.js';
import { createSession } from '../engine/open-session.js';
import type { EngineOptions } from '../engine/options.js';
import type { Session } from '../engine/session.js';
import { UserError } from '../errors.js';
import type { SessionConcludedRecord } from '../journal/records.js';
import { newSessionId } from '../journal/session-id.js';
import { createRedactor } from '../redact/create-redactor.js';
import type { Runbook } from '../runbook/types.js';
import type { RemoteTarget } from '../targets/target.js';
import { formatDuration } from '../util/duration.js';
import { createFleetJournal, type FleetPaths } from './fleet-dir.js';
import { fleetAnswer, type FleetAnswer } from './fleet-answer.js';
import { abortableInteractor } from './abortable-interactor.js';
import { fleetInteractor } from './fleet-interactor.js';
import { lostTarget } from './lost-target.js';
import type { FleetRecord, NewFleetRecord } from './fleet-records.js';

/** One member of the fleet: a target to diagnose, or a pod that cannot be (with why). */
export type FleetMember = { url: string; target: RemoteTarget } | { url: string; undiagnosable: string };

export interface FleetSetup {
  runbook: Runbook;
  stateDir: string;
  options: EngineOptions;
  vars: Record<string, string>;
  /** Asked once per step for the whole fleet (fleet-interactor.ts). */
  person: Interactor;
  members: FleetMember[];
  /** What named the fleet (--fleet URLs, --targets FILE, --target URLs), for the journal. */
  spec: string[];
  concurrency: number;
  targetTimeoutMs: number;
  /** Each child's engine events, by target. */
  childListener?: (target: string) => EngineListener;
  /** Every fleet record once written. */
  onRecord?: (record: FleetRecord) => void;
  /** Keep each child's session after it ends, for a view that opens one (the TUI). A
   *  headless run keeps none: a session holds every step's full facts (smaps tables,
   *  profile diffs), so the fleet's memory would grow with its size, not its concurrency. */
  keepChildren?: boolean;
}

export interface FleetOutcome {
  answer: FleetAnswer;
  paths: FleetPaths;
  /** 0 every target concluded, 1 some could not be diagnosed, 130 cancelled. */
  exitCode: number;
}

/** A child session the fleet started, and the fleet's run of it (settles when it ends). */
export interface FleetChild {
  session: Session;
  done: Promise<unknown>;
}

export class FleetRun {
  readonly id: string;
  readonly paths: FleetPaths;
  private readonly records: FleetRecord[] = [];
  private readonly running = new Set<Session>();
  /** Each running child's stop: aborted by cancel() and by its timeout, it ends an opening
   *  (pid=name:, pid check, pprof probe) and a wait on a fleet question. */
  private readonly stops = new Set<AbortController>();
  /** Aborted by cancel(): a fleet question still queued is not asked. */
  private readonly fleetStop = new AbortController();
  /** Each started child and its run to the end, by target: for a view that opens one. */
  private readonly children = new Map<string, FleetChild>();
  private readonly conclusions = new Map<string, SessionConcludedRecord>();
  private readonly writer;
  private readonly redactor;
  private readonly interactor: Interactor;
  private cancelled = false;

  constructor(private readonly setup: FleetSetup) {
    this.id = newSessionId(`fleet-${setup.runbook.id}`);
    const secrets = Object.entries(setup.vars).filter(([name]) => setup.runbook.inputs[name]?.type === 'secret').map(([, value]) => value);
    this.redactor = createRedactor({ secrets });
    const created = createFleetJournal(setup.stateDir, this.id);
    this.paths = created.paths;
    this.writer = created.writer;
    const diagnosable = setup.members.filter((m) => 'target' in m).length;
    this.interactor = fleetInteractor(setup.person, diagnosable, this.fleetStop.signal);
  }

  /** The child session on `target`, once started (with keepChildren, kept after it ends, closed). */
  child(target: string): FleetChild | undefined {
    return this.children.get(target);
  }

  /** The first Ctrl+C: every running child is cancelled (its processes die), none starts. */
  cancel(): void {
    this.cancelled = true;
    for (const session of this.running) session.cancelCurrent();
    this.fleetStop.abort();
    for (const controller of this.stops) controller.abort();
  }

  async run(): Promise<FleetOutcome> {
    const { runbook, members } = this.setup;
    try {
      this.write({
        type: 'fleet.started',
        fleet_id: this.id,
        runbook: { id: runbook.id, title: runbook.title, file: runbook.file, sha256: runbook.sha256 },
        spec: this.setup.spec,
        targets: members.map((m) => m.url),
        concurrency: this.setup.concurrency,
        target_timeout_ms: this.setup.targetTimeoutMs,
      });
      for (const member of members) if ('undiagnosable' in member) this.write({ type: 'child.failed', target: member.url, reason: member.undiagnosable });
      const queue = members.filter((m): m is Extract<FleetMember, { target: RemoteTarget }> => 'target' in m);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < queue.length) {
          const member = queue[next++]!;
          if (this.cancelled) this.write({ type: 'child.failed', target: member.url, reason: 'not started: the fleet run was cancelled' });
          else await this.runChild(member.url, member.target);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(this.setup.concurrency, queue.length)) }, worker));
      const answer = fleetAnswer(this.records, this.conclusions);
      this.write({
        type: 'fleet.concluded',
        fleet_id: this.id,
        status: this.cancelled ? 'cancelled' : 'concluded',
        groups: answer.groups,
        failed: answer.failed.map(({ target, reason }) => ({ target, reason })),
        outliers: answer.outliers,
      });
      const exitCode = this.cancelled ? 130 : answer.failed.length > 0 || answer.pending.length > 0 ? 1 : 0;
      return { answer, paths: this.paths, exitCode };
    } finally {
      this.writer.close();
    }
  }

  private async runChild(url: string, target: RemoteTarget): Promise<void> {
    const { runbook, stateDir, options, vars } = this.setup;
    let session: Session | undefined;
    let timedOut = false;
    const stop = new AbortController();
    this.stops.add(stop);
    const timer = setTimeout(() => {
      timedOut = true;
      stop.abort();
      session?.cancelCurrent();
    }, this.setup.targetTimeoutMs);
    const late = (): string => `no conclusion within ${formatDuration(this.setup.targetTimeoutMs)} (--target-timeout): cancelled`;
    const stoppedWhy = (): string => (timedOut ? late() : 'cancelled (Ctrl+C)');
    const interactor = abortableInteractor(this.interactor, stop.signal, stoppedWhy);
    try {
      try {
        session = await createSession({
          runbook,
          stateDir,
          interactor,
          options: { ...options, target },
          vars,
          signal: stop.signal,
          ...(this.setup.childListener !== undefined ? { listener: this.setup.childListener(url) } : {}),
        });
      } catch (error) {
        // Unreachable, no such process, permission: the reason, and the fleet goes on.
        this.write({ type: 'child.failed', target: url, reason: stop.signal.aborted ? stoppedWhy() : reasonOf(error) });
        return;
      }
      this.write({ type: 'child.started', target: url, session_id: session.id });
      this.running.add(session);
      const running = session.runToEnd();
      if (this.setup.keepChildren === true) this.children.set(url, { session, done: running });
      if (timedOut || this.cancelled) session.cancelCurrent();
      let outcome;
      try {
        outcome = await running;
      } catch (error) {
        this.write({ type: 'child.failed', target: url, session_id: session.id, reason: stop.signal.aborted ? stoppedWhy() : reasonOf(error) });
        return;
      }
      const conclusion = outcome.conclusion;
      if (outcome.status === 'concluded' && conclusion !== undefined) {
        const lost = await lostTarget(target, session.state.steps, stop.signal);
        if (lost !== undefined) {
          this.write({ type: 'child.failed', target: url, session_id: session.id, reason: `${lost}; it concluded ${conclusion.finding} on the evidence read before` });
          return;
        }
        this.conclusions.set(session.id, conclusion);
        this.write({ type: 'child.finished', target: url, session_id: session.id, status: 'concluded', finding: conclusion.finding, severity: conclusion.severity, numbers: conclusion.numbers ?? {} });
        return;
      }
      const reason =
        outcome.status === 'cancelled' ? (stop.signal.aborted ? stoppedWhy() : (outcome.reason ?? 'cancelled')) : outcome.status === 'concluded' ? 'the runbook ended without a conclusion' : (outcome.reason ?? outcome.status);
      this.write({ type: 'child.failed', target: url, session_id: session.id, reason });
    } finally {
      clearTimeout(timer);
      this.stops.delete(stop);
      if (session !== undefined) {
        this.running.delete(session);
        session.close();
      }
    }
  }

  private write(record: NewFleetRecord): void {
    const stamped = this.writer.append(this.redactor.redactValue(record));
    this.records.push(stamped);
    this.setup.onRecord?.(stamped);
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof UserError) return error.hint !== undefined ? `${error.message} (${error.hint})` : error.message;
  return error instanceof Error ? `internal error (a bug in runbook): ${error.message}` : String(error);
}
