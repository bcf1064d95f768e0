// `runbook config get|set|list`: user settings through conf.
import { checkSetting, configFile, DEFAULT_SETTINGS, loadSettings, SETTING_HELP, SETTING_KEYS, type SettingKey } from '../config/settings.js';
import { openSettingsStore } from '../config/store.js';
import { UserError } from '../errors.js';

export function configCommand(action: 'get' | 'set' | 'list', key?: string, value?: string): void {
  const { settings } = loadSettings();
  if (action === 'list') {
    for (const name of SETTING_KEYS) {
      const current = settings[name];
      const isDefault = current === DEFAULT_SETTINGS[name];
      process.stdout.write(`${name} = ${JSON.stringify(current)}${isDefault ? ' (default)' : ''}\n    ${SETTING_HELP[name]}\n`);
    }
    process.stdout.write(`file: ${configFile()}\n`);
    return;
  }
  if (key === undefined) throw new UserError(`runbook config ${action} needs a setting name`, { hint: `settings are ${SETTING_KEYS.join(', ')}` });
  if (action === 'get') {
    checkSetting(key, settings[key as SettingKey]);
    process.stdout.write(`${settings[key as SettingKey]}\n`);
    return;
  }
  if (value === undefined) throw new UserError(`runbook config set ${key} needs a value`);
  const checked = checkSetting(key, value);
  openSettingsStore().set(key, checked);
}
