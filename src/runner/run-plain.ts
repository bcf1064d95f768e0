// The plain front end: renders engine events as lines (stderr) or JSON (stdout), owns the
// tool's signals while a session runs, and turns the outcome into the exit code.
// SIGINT/SIGTERM/SIGHUP cancel the running step (its whole process group is killed) and
// end the session as cancelled (130); a second signal kills every group at once and exits.
import { killAll } from '../exec/process-registry.js';
import { onQuitSignals } from '../exec/quit-signals.js';
import { writeSessionNotes } from '../notes/write-notes.js';
import type { EngineListener } from '../engine/events.js';
import type { Session } from '../engine/session.js';
import { ExitCode } from '../errors.js';
import { plainRenderer } from './plain-renderer.js';

export interface PlainOutput {
  json: boolean;
}

/** The listener to pass to createSession/resumeSession. */
export function plainListener(output: PlainOutput): EngineListener {
  return plainRenderer({
    line: (text) => process.stderr.write(`${text}\n`),
    ...(output.json ? { json: (object: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(object)}\n`) } : {}),
  });
}

/** Drives the session to its end; `notesFile` gets the incident notes however it ends. */
export async function runPlain(session: Session, notesFile?: string): Promise<number> {
  for (const warning of session.warnings) process.stderr.write(`warning: ${warning}\n`);
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      killAll('SIGKILL');
      process.exit(ExitCode.cancelled);
    }
    signalled = true;
    process.stderr.write(`${signal}: cancelling the running step (send it again to quit at once)\n`);
    session.cancelCurrent();
  };
  const stopListening = onQuitSignals(onSignal);
  try {
    const outcome = await session.runToEnd();
    return outcome.exitCode;
  } finally {
    stopListening();
    session.close();
    if (notesFile !== undefined) {
      const written = await writeSessionNotes(session.paths, { out: notesFile, format: notesFile.endsWith('.json') ? 'json' : 'md' });
      process.stderr.write(`notes written to ${written.path}\n`);
    }
  }
}
