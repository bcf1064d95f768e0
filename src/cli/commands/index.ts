// Every top-level command, in the order `runbook --help` lists them.
import type { CommandModule } from 'yargs';
import { captureCommand } from './capture.js';
import { homeCommand } from './home.js';
import { psCommand } from './ps.js';
import { parseCommand } from './parse.js';
import { diffCommand } from './diff.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [homeCommand, psCommand, captureCommand, parseCommand, diffCommand];
