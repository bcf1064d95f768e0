// What run and resume share: settings read once, the state dir, engine options from flags.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadSettings } from '../config/settings.js';
import type { EngineSetup } from '../engine/setup.js';
import { UserError } from '../errors.js';
import { resolveStateDir } from '../journal/state-dir.js';
import { parseDuration } from '../util/duration.js';

export interface CommonFlags {
  yes?: boolean;
  nonInteractive?: boolean;
  /** `--interactive`: the TUI, or a UserError when there is no terminal. */
  interactive?: boolean;
  json?: boolean;
  /** `--notes FILE`: incident notes written when the session ends. */
  notes?: string;
}

export function engineSetup(flags: CommonFlags, bundle?: string): EngineSetup {
  if (flags.notes !== undefined) checkNotesPath(flags.notes);
  const { settings, problems } = loadSettings();
  for (const problem of problems) process.stderr.write(`warning: ${problem}\n`);
  const timeout = parseDuration(settings.defaultTimeout);
  if (!timeout.ok) throw new UserError(`setting defaultTimeout: ${timeout.error}`, { hint: 'runbook config set defaultTimeout 5m' });
  return {
    settings,
    stateDir: resolveStateDir(settings.stateDir || undefined),
    options: {
      yes: flags.yes === true,
      mode: 'plain',
      defaultTimeoutMs: timeout.ms,
      confirm: settings.confirm,
      ...(settings.prometheus !== '' ? { prometheus: settings.prometheus } : {}),
      ...(bundle !== undefined ? { bundle } : {}),
    },
  };
}

/** `--notes FILE` is written when the session ends: a path that cannot be written is
 *  refused now, before any step runs, not after the incident work is done. */
function checkNotesPath(file: string): void {
  const dir = dirname(resolve(file));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`--notes ${file}: ${dir} is not a directory`, { hint: 'give a path in an existing directory you can write to' });
  }
}
