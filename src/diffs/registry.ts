// The one list of snapshot diffs (`runbook diff KIND`, snapshot `compare_to`).
import type { Differ } from '../parsers/types.js';
import { mapsDiffer } from './maps.js';
import { smapsRollupDiffer } from './smaps-rollup.js';
import { statusDiffer } from './status.js';
import { goroutinesDiffer } from './goroutines.js';
import { memstatsDiffer } from './memstats.js';
import { pprofDiffer } from './pprof.js';
import { escapeDiffer } from './escape.js';
import { smapsDiffer } from './smaps.js';

const differs: Differ[] = [
  mapsDiffer,
  statusDiffer,
  smapsRollupDiffer,
  pprofDiffer,
  goroutinesDiffer,
  memstatsDiffer,
  escapeDiffer,
  smapsDiffer,
];

export function getDiffer(kind: string): Differ | undefined {
  return differs.find((d) => d.kind === kind);
}

export function differKinds(): string[] {
  return differs.map((d) => d.kind);
}
