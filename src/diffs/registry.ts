// The one list of snapshot diffs (`runbook diff KIND`, snapshot `compare_to`).
import type { Differ } from '../parsers/types.js';
import { mapsDiffer } from './maps.js';

const differs: Differ[] = [
  mapsDiffer,
];

export function getDiffer(kind: string): Differ | undefined {
  return differs.find((d) => d.kind === kind);
}

export function differKinds(): string[] {
  return differs.map((d) => d.kind);
}
