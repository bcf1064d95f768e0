// Step kind → executor.
import type { StepKind } from '../../runbook/types.js';
import { askStep } from './ask.js';
import { checklistStep } from './checklist.js';
import { computeStep } from './compute.js';
import { concludeStep } from './conclude.js';
import { fetchStep } from './fetch.js';
import { noteStep } from './note.js';
import { queryStep } from './query.js';
import { readStep } from './read.js';
import { runStep } from './run.js';
import { snapshotStep } from './snapshot.js';
import type { StepExecutor } from './types.js';
import { waitStep } from './wait.js';

export const STEP_EXECUTORS: Record<StepKind, StepExecutor> = {
  run: runStep,
  read: readStep,
  fetch: fetchStep,
  query: queryStep,
  wait: waitStep,
  compute: computeStep,
  ask: askStep,
  checklist: checklistStep,
  note: noteStep,
  snapshot: snapshotStep,
  conclude: concludeStep,
};
