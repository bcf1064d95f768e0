// The one place where a failure becomes what the engineer sees and an exit code, for every
// CLI command, the plain runner and the TUI: a UserError prints its message and hint;
// anything else is a bug (exit 70) whose stack goes to a file under the session dir (else
// <state>/internal-errors), never to the screen.
import { createRedactor } from '../redact/create-redactor.js';
import { ExitCode, InternalError, UserError, asInternalError, formatInternalError, formatUserError, writeErrorDetails } from '../errors.js';
import { loadSettings } from '../config/settings.js';
import { resolveStateDir } from '../journal/state-dir.js';
import { toolVersion } from '../util/version.js';
import { join } from 'node:path';

/** Prints the failure and returns the exit code. */
export function reportFailure(error: unknown, write: (text: string) => void = (text) => process.stderr.write(text)): number {
  if (error instanceof UserError) {
    write(`runbook: ${formatUserError(error)}\n`);
    return error.exitCode;
  }
  const internal = asInternalError(error);
  if (internal.detailsFile === undefined) internal.detailsFile = saveDetails(internal);
  write(`runbook: ${formatInternalError(internal)}\n`);
  return ExitCode.internal;
}

function saveDetails(error: InternalError): string | undefined {
  for (const dir of [error.sessionDir, fallbackDir()]) {
    if (dir === undefined) continue;
    try {
      // No secret is known here; token shapes (Authorization:, user:pass@) are still masked.
      return writeErrorDetails(dir, error, toolVersion(), createRedactor().redactText);
    } catch {
      // Not writable (disk full, permissions): try the next place.
    }
  }
  return undefined;
}

function fallbackDir(): string | undefined {
  try {
    return join(resolveStateDir(loadSettings().settings.stateDir || undefined), 'internal-errors');
  } catch {
    return undefined;
  }
}
