// THE LAYERS of src/, top to bottom: the one list the architecture test checks and
// docs/architecture.md § Layers draws. A file may import its own folder and any folder of
// a lower layer; never a higher layer, never another folder of its own layer (peers such as
// the TUI and the plain runner know nothing of each other), and never in a circle.
import type { Layer } from './import-graph.js';

export const LAYERS: readonly Layer[] = [
  { name: 'command line', folders: ['cli'] },
  { name: 'composition', folders: ['app'] },
  { name: 'front ends', folders: ['tui', 'runner', 'runbook-tests'] },
  { name: 'notes', folders: ['notes'] },
  { name: 'fleet', folders: ['fleet'] },
  { name: 'facts shown', folders: ['facts'] },
  { name: 'engine', folders: ['engine'] },
  { name: 'alerts', folders: ['alerts'] },
  { name: 'collectors', folders: ['collectors'] },
  { name: 'diffs and journal', folders: ['diffs', 'journal'] },
  { name: 'runbook format', folders: ['runbook'] },
  { name: 'targets', folders: ['targets'] },
  { name: 'redaction', folders: ['redact'] },
  { name: 'processes', folders: ['exec'] },
  { name: 'parsers', folders: ['parsers'] },
  { name: 'templates', folders: ['template'] },
  { name: 'expressions', folders: ['expr'] },
  { name: 'settings', folders: ['config'] },
  { name: 'base', folders: ['util', 'errors.ts'] },
];

/** The folder whose layer and every layer below make up the headless engine: no React or
 *  Ink, never printing. */
export const HEADLESS_FROM = 'notes';
