// Every top-level command, in the order `runbook --help` lists them.
import type { CommandModule } from 'yargs';
import { alertsCommand } from './alerts.js';
import { captureCommand } from './capture.js';
import { configCommandModule } from './config.js';
import { homeCommand } from './home.js';
import { diffCommand } from './diff.js';
import { exportCommand } from './export.js';
import { graphCommand } from './graph.js';
import { listCommand } from './list.js';
import { parseCommand } from './parse.js';
import { psCommand } from './ps.js';
import { resumeCommandModule } from './resume.js';
import { runCommandModule } from './run.js';
import { schemaCommand } from './schema.js';
import { sessionsCommandModule } from './sessions.js';
import { showCommand } from './show.js';
import { testCommand } from './test.js';
import { validateCommand } from './validate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<object, any>[] = [
  homeCommand,
  runCommandModule,
  resumeCommandModule,
  sessionsCommandModule,
  exportCommand,
  psCommand,
  alertsCommand,
  captureCommand,
  listCommand,
  showCommand,
  graphCommand,
  validateCommand,
  testCommand,
  schemaCommand,
  parseCommand,
  diffCommand,
  configCommandModule,
];
