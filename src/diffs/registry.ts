// Every snapshot diff, loaded at once, for code that looks differs up synchronously (the
// engine's snapshot `compare_to`, fact rows). The list and its order live in load-differ.ts.
import type { Differ } from '../parsers/types.js';
import { differKinds, loadDiffer } from './load-differ.js';

const differs = (await Promise.all(differKinds().map(loadDiffer))) as Differ[];

export function getDiffer(kind: string): Differ | undefined {
  return differs.find((d) => d.kind === kind);
}

export { differKinds };
