// Every top-level command, in the order `runbook --help` lists them.
import type { CommandModule } from 'yargs';
import { homeCommand } from './home.js';
import { listCommand } from './list.js';
import { schemaCommand } from './schema.js';
import { showCommand } from './show.js';
import { validateCommand } from './validate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [homeCommand, listCommand, showCommand, validateCommand, schemaCommand];
