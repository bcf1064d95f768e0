// What every session of one tool run starts from: the user's settings, the state dir and
// the options the front end chose. Built by app/engine-setup.ts from flags and settings.
import type { Settings } from '../config/settings.js';
import type { EngineOptions } from './options.js';

export interface EngineSetup {
  settings: Settings;
  stateDir: string;
  options: EngineOptions;
}
