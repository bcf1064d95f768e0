// Opening the Ink TUI: the home screen (`runbook`) or a session (`runbook run` in a
// terminal). Only reached after app/interactive.ts decided a terminal is there; loaded
// lazily, so commands that never open the TUI never load React or Ink.
import { render } from 'ink';
import { ExitCode, UserError, asInternalError } from '../errors.js';
import { onQuitSignals } from '../exec/quit-signals.js';
import { displayPath } from '../util/display-path.js';
import type { EngineSetup } from '../engine/setup.js';
import { App, type AppStart, type TuiDeps } from './App.js';
import { ExitGate } from './exit-gate.js';
import { defaultHomeSources, type HomeSources } from './home-sources.js';
import { PromptBroker } from './prompt-broker.js';
import type { SessionController } from './session-controller.js';

/** Frames per second at most: a flood of output redraws 20 times a second, not per chunk. */
const MAX_FPS = 20;

export interface TuiLaunch {
  start: AppStart;
  setup: EngineSetup;
  home?: HomeSources;
  /** Prints a failure and returns its exit code (app/report-failure.ts): given by the
   *  caller, as the plain runner's failures go the same way. */
  reportFailure: (error: unknown) => number;
}

function exitCodeOf(controller: SessionController | null): number {
  if (!controller) return ExitCode.ok;
  const status = controller.session.state.status;
  if (status === 'concluded') return ExitCode.ok;
  if (status === 'failed') return ExitCode.stepFailed;
  return ExitCode.cancelled;
}

export async function runTui(launch: TuiLaunch): Promise<number> {
  const broker = new PromptBroker();
  const exitGate = new ExitGate();
  let current: SessionController | null = null;
  let failure: Error | undefined;
  const deps: TuiDeps = {
    broker,
    exitGate,
    home: launch.home ?? defaultHomeSources(launch.setup.stateDir, launch.setup.options.target, launch.setup.settings.alertmanager),
    open: async (request) => {
      // Loaded when a session opens, not before the home screen's first frame.
      const { openSession } = await import('./session-opener.js');
      current = await openSession(request, launch.setup, broker);
      return current;
    },
    onExit: (_controller, error) => {
      failure = error;
    },
  };
  const stopListening = onQuitSignals(() => exitGate.request());
  const instance = render(<App start={launch.start} deps={deps} />, { exitOnCtrlC: false, maxFps: MAX_FPS, patchConsole: true });
  try {
    await instance.waitUntilExit();
  } catch (error) {
    failure = error as Error;
  } finally {
    stopListening();
    instance.unmount();
    // Normally closed by the App's quit; after a render error it is closed here.
    await (current as SessionController | null)?.close();
  }
  const controller = current as SessionController | null;
  // A bug: one line and a details file in the session dir (its resume hint included).
  if (failure !== undefined && !(failure instanceof UserError)) {
    return launch.reportFailure(asInternalError(failure, controller ? { sessionId: controller.session.id, sessionDir: controller.session.paths.dir } : {}));
  }
  if (controller) {
    const { state } = controller.session;
    // The command and the path on lines of their own: at 80 columns they do not wrap mid-word.
    if (state.status === 'running') process.stderr.write(`session ${state.id} is left open; resume it with:\n  runbook resume ${state.id}\n`);
    else process.stderr.write(`session ${state.id} ${state.status}; journal and notes in\n  ${displayPath(controller.session.paths.dir)}\n`);
  }
  return failure !== undefined ? launch.reportFailure(failure) : exitCodeOf(controller);
}
