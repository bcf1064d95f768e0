// What the session screen's keys do to the engine: one method per command, each safe to
// call at any time (a key pressed at the wrong moment does nothing and says why).
import { join } from 'node:path';
import type { Session } from '../engine/session.js';
import { UserError } from '../errors.js';
import { terminateAll } from '../exec/process-registry.js';
import { exportFileName } from '../notes/export.js';
import { writeSessionNotes } from '../notes/write-notes.js';
import type { SessionStore } from './session-store.js';

/** How long quitting waits for a cancelled step's group to go (TERM, grace, KILL). */
const QUIT_WAIT_MS = 5000;

export class SessionController {
  private running: Promise<unknown> | null = null;
  /** A bug (anything but a UserError) from the engine: the App quits with it (exit 70). */
  onBug: ((error: Error) => void) | undefined;

  constructor(
    readonly session: Session,
    readonly store: SessionStore,
    /** True while the engine waits on a form: nothing runs, so quitting need not wait. */
    private readonly waitingForPerson: () => boolean = () => false,
  ) {}

  get busy(): boolean {
    return this.running !== null;
  }

  get over(): boolean {
    return this.session.state.status !== 'running' || this.session.state.currentStep === null;
  }

  /** Enter: runs the current step. */
  runCurrent(): void {
    if (this.busy || this.over) return;
    this.track(this.session.runCurrent());
  }

  /** `r`: runs a finished step again; the session goes on from where it leads. */
  rerun(stepId: string): void {
    if (this.busy || this.session.state.status !== 'running') return;
    this.track(this.session.rerun(stepId));
  }

  /** `s`: recorded as skipped, and the session moves to the next step in order. */
  skip(): void {
    if (this.busy || this.over) return;
    this.session.skipCurrent('skipped by the engineer');
  }

  /** A session another driver runs to its end (a fleet's child): busy until that run ends,
   *  so the keys that would run a step say one is running instead of racing it. */
  follow(run: Promise<unknown>): void {
    this.track(run);
  }

  /** Ctrl+C: the running step's process group gets TERM, then KILL after the grace. */
  cancel(): void {
    if (this.busy) this.session.cancelCurrent();
  }

  addNote(text: string): void {
    this.session.addNote(text);
  }

  /** `p`: the current run/read step takes output the engineer got by running its command
   *  by hand elsewhere; the same parser and branches apply, and the journal says so. */
  paste(text: string): void {
    const step = this.session.state.currentStep;
    if (this.busy || this.over || step === null) return;
    this.track(this.session.provideOutput(step, text));
  }

  /** `x`: the incident notes as markdown in the session dir; returns the file's path. */
  async exportNotes(): Promise<string> {
    const out = join(this.session.paths.dir, exportFileName(this.session.id, 'md'));
    await writeSessionNotes(this.session.paths, { out, record: (format, path) => this.session.recordExport(format, path) });
    return out;
  }

  /** Quitting: a running step is cancelled and waited for, then the journal is closed.
   *  The session is not ended, so `runbook resume` picks it up (a step quit while its
   *  form was open is found interrupted there and asked again). */
  async close(): Promise<void> {
    if (this.running && !this.waitingForPerson()) {
      this.session.cancelCurrent();
      const timeout = new Promise((resolve) => setTimeout(resolve, QUIT_WAIT_MS).unref());
      await Promise.race([this.running.catch(() => undefined), timeout]);
      await terminateAll(0);
    }
    this.store.flush();
    this.store.dispose();
    this.session.close();
  }

  private track(run: Promise<unknown>): void {
    const done = run.then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof UserError || this.onBug === undefined) this.store.addMessage(`error: ${(error as Error).message}`, 'warn');
        else this.onBug(error as Error);
      },
    );
    this.running = done.finally(() => {
      this.running = null;
      this.store.flush();
    });
  }
}
