// `runbook config set/get/list` go through conf (atomic temp+rename writes). Loaded only by
// the config command: conf costs ~190 ms to import.
import Conf from 'conf';
import { configDir } from './settings.js';

export function openSettingsStore(): Conf<Record<string, unknown>> {
  return new Conf<Record<string, unknown>>({ projectName: 'runbook', projectSuffix: '', cwd: configDir(), configName: 'config' });
}
