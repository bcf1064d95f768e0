// Incident notes as versioned JSON: the same model the markdown renders, for tooling
// (ticket bots, dashboards). Bump NOTES_VERSION on any change a consumer could trip over.
import { renderPathGraph, renderRunbookGraph } from './runbook-graph.js';
import { buildSessionNotes, type NotesInput, type SessionNotes, type StepEntry } from './session-notes.js';

const NOTES_VERSION = 1;

export type NotesJson =
  | ({ notes_version: typeof NOTES_VERSION } & SessionNotes & { path_graph: string })
  | { notes_version: typeof NOTES_VERSION; error: string };

export function renderJson(input: NotesInput): NotesJson {
  const notes = buildSessionNotes(input);
  if (notes === undefined) return { notes_version: NOTES_VERSION, error: 'the journal has no session.started record' };
  return { notes_version: NOTES_VERSION, ...notes, path_graph: pathGraph(notes, input) };
}

/** The Mermaid flowchart of the path: over the runbook when given, else over the steps run. */
export function pathGraph(notes: SessionNotes, input: NotesInput): string {
  if (input.runbook !== undefined) return renderRunbookGraph(input.runbook, notes.path, notes.statuses);
  const steps = notes.timeline.filter((e): e is StepEntry => e.type === 'step');
  const nodes = [...new Map(steps.map((s) => [s.step, { id: s.step, title: s.title, kind: s.kind }])).values()];
  return renderPathGraph(nodes, notes.path, notes.statuses);
}
