// User settings (conf-backed): default step timeout, state dir, confirmation policy.
// Settings only: never the journal, never secrets (reliability.md: conf writes 0644 files
// and leaves temp files behind after SIGKILL).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import { parseDuration } from '../util/duration.js';

export type ConfirmPolicy = 'mutating' | 'every-command';

export interface Settings {
  /** Timeout of run/fetch steps that set none, as a duration (`60s`, `5m`). */
  defaultTimeout: string;
  /** Where sessions are kept; empty means the XDG state dir. */
  stateDir: string;
  /** `mutating`: ask before `mutates: true` steps; `every-command`: before every run step too. */
  confirm: ConfirmPolicy;
  /** Base URL of the Prometheus `query` steps ask when the runbook gives none; empty: none. */
  prometheus: string;
  /** Base URL of the Alertmanager whose firing alerts `runbook alerts` and the home screen show; empty: none. */
  alertmanager: string;
  /** Fleet runs (docs/remote.md "Fleets"): child sessions at once, as a whole number. */
  fleet_concurrency: string;
  /** Fleet runs: how long one target may take before its session is cancelled (a duration). */
  fleet_target_timeout: string;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  defaultTimeout: '5m',
  stateDir: '',
  confirm: 'mutating',
  prometheus: '',
  alertmanager: '',
  fleet_concurrency: '8',
  fleet_target_timeout: '10m',
};

/** More sessions at once than this would exhaust ssh's MaxStartups and the tool's fds. */
export const MAX_FLEET_CONCURRENCY = 256;

/** A fleet target's timeout is a setTimeout, which fires at once past 2^31-1 ms (24.8 days). */
export const MAX_FLEET_TARGET_TIMEOUT = '24d';
const MAX_FLEET_TARGET_TIMEOUT_MS = 24 * 86_400_000;

export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as SettingKey[];

export const SETTING_HELP: Record<SettingKey, string> = {
  defaultTimeout: 'timeout of run and fetch steps that set none (a duration: 90s, 5m, 1h)',
  stateDir: 'directory holding sessions (empty: $XDG_STATE_HOME/runbook; RUNBOOK_STATE_DIR overrides)',
  confirm: 'when to ask before running a command: mutating (only mutates: true steps) or every-command',
  prometheus: 'base URL of the Prometheus that query steps ask when the runbook gives none (empty: none)',
  alertmanager: 'base URL of the Alertmanager whose firing alerts runbook alerts and the home screen show (empty: none)',
  fleet_concurrency: `fleet runs: how many targets are diagnosed at once (1–${MAX_FLEET_CONCURRENCY}; --concurrency overrides)`,
  fleet_target_timeout: 'fleet runs: how long one target may take before its session is cancelled (a duration; --target-timeout overrides)',
};

/** A concurrency as a whole number in range, or a UserError naming where it came from. */
export function checkConcurrency(text: string, where: string): number {
  const n = /^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(n >= 1 && n <= MAX_FLEET_CONCURRENCY)) throw new UserError(`${where} must be a whole number from 1 to ${MAX_FLEET_CONCURRENCY}, not '${text}'`);
  return n;
}

/** A fleet target's timeout in ms, above zero and at most MAX_FLEET_TARGET_TIMEOUT, or a
 *  UserError naming where it came from. */
export function checkTargetTimeout(text: string, where: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok || parsed.ms <= 0) throw new UserError(`${where} '${text}' is not a duration`, { hint: 'write it as 90s, 10m or 1h' });
  if (parsed.ms > MAX_FLEET_TARGET_TIMEOUT_MS) throw new UserError(`${where} '${text}' is longer than the most a target may take, ${MAX_FLEET_TARGET_TIMEOUT}`, { hint: `give at most ${MAX_FLEET_TARGET_TIMEOUT}` });
  return parsed.ms;
}

/** The directory conf writes to; RUNBOOK_CONFIG_DIR lets tests keep away from ~/.config. */
export function configDir(): string {
  const fromEnv = process.env.RUNBOOK_CONFIG_DIR;
  if (fromEnv) return fromEnv;
  const xdg = process.env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.config'), 'runbook');
}

export function configFile(): string {
  return join(configDir(), 'config.json');
}

/** The setting's value checked and normalised; a UserError naming the fix otherwise. */
export function checkSetting(key: string, value: unknown): Settings[SettingKey] {
  if (!(SETTING_KEYS as string[]).includes(key)) {
    throw new UserError(`unknown setting '${key}'`, { hint: `settings are ${SETTING_KEYS.join(', ')}` });
  }
  const text = typeof value === 'string' ? value.trim() : '';
  switch (key as SettingKey) {
    case 'fleet_target_timeout':
      checkTargetTimeout(text, key);
      return text;
    case 'defaultTimeout':
      if (!parseDuration(text).ok) throw new UserError(`${key} must be a duration such as 90s or 5m, not '${String(value)}'`);
      return text;
    case 'fleet_concurrency':
      checkConcurrency(typeof value === 'number' ? String(value) : text, key);
      return typeof value === 'number' ? String(value) : text;
    case 'stateDir':
      if (text !== '' && !isAbsolute(text)) throw new UserError(`stateDir must be an absolute path, not '${String(value)}'`);
      return text;
    case 'prometheus':
    case 'alertmanager':
      if (text !== '' && !/^https?:\/\/[^/]/.test(text)) throw new UserError(`${key} must be an http:// or https:// URL, not '${String(value)}'`);
      return text;
    case 'confirm':
      if (text !== 'mutating' && text !== 'every-command') {
        throw new UserError(`confirm must be mutating or every-command, not '${String(value)}'`);
      }
      return text;
  }
}

/** Reads the settings once at start. A plain JSON read of conf's file, not conf itself:
 *  importing conf costs ~190 ms (it compiles ajv), measured on this machine, and every
 *  `runbook run` would pay it. Invalid values fall back to defaults, named in `problems`. */
export function loadSettings(): { settings: Settings; problems: string[] } {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const problems: string[] = [];
  let stored: Record<string, unknown>;
  try {
    stored = JSON.parse(readFileSync(configFile(), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${configFile()}: ${(error as Error).message}; using defaults`);
    return { settings, problems };
  }
  for (const [key, value] of Object.entries(stored ?? {})) {
    try {
      (settings as unknown as Record<string, unknown>)[key] = checkSetting(key, value);
    } catch (error) {
      problems.push(`${configFile()}: ${(error as Error).message}; using the default`);
    }
  }
  return { settings, problems };
}
