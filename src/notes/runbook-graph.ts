// A runbook as a Mermaid flowchart: every step a node, edges for each `next` rule (labelled
// with its `when`), ask-choice gotos and fall-through to the following step. Given the path a
// session took, its nodes and edges are highlighted (classDef + linkStyle), so the same
// function draws `runbook graph` and the "path taken" section of the notes.
import type { StepStatus } from '../journal/records.js';
import type { Runbook, StepKind } from '../runbook/types.js';

export type GraphStatuses = Record<string, StepStatus | 'running'>;

interface Edge {
  from: string;
  to: string;
  label?: string;
  /** Not a way the runbook offers: drawn dotted. */
  extra?: boolean;
}

const STATUS_CLASSES: Record<StepStatus | 'running', string> = {
  passed: 'fill:#d4edda,stroke:#1e7e34,color:#000',
  failed: 'fill:#f8d7da,stroke:#b21f2d,color:#000',
  skipped: 'fill:#eeeeee,stroke:#888888,color:#555,stroke-dasharray:4 3',
  timeout: 'fill:#ffe8cc,stroke:#d9480f,color:#000',
  cancelled: 'fill:#ffe8cc,stroke:#888888,color:#000',
  interrupted: 'fill:#fff3bf,stroke:#e67700,color:#000',
  running: 'fill:#d0ebff,stroke:#1864ab,color:#000',
};

export interface GraphNode {
  id: string;
  title: string;
  kind: StepKind;
}

export function renderRunbookGraph(runbook: Runbook, path: string[] = [], statuses: GraphStatuses = {}): string {
  const nodes = runbook.steps.map((step) => ({ id: step.id, title: step.title ?? step.id, kind: step.kind }));
  return renderFlowchart(nodes, runbookEdges(runbook), path, statuses);
}

/** The path alone, for notes rendered without the runbook file at hand. */
export function renderPathGraph(nodes: GraphNode[], path: string[], statuses: GraphStatuses = {}): string {
  return renderFlowchart(nodes, [], path, statuses);
}

function renderFlowchart(nodes: GraphNode[], runbookEdges: Edge[], path: string[], statuses: GraphStatuses): string {
  const ids = mermaidIds(nodes.map((n) => n.id));
  const lines = ['flowchart TD'];
  for (const n of nodes) lines.push(`  ${node(ids.get(n.id)!, n)}`);
  const edges = [...runbookEdges];
  const taken = new Set<number>();
  for (let i = 1; i < path.length; i++) {
    const from = path[i - 1]!;
    const to = path[i]!;
    if (!ids.has(from) || !ids.has(to)) continue;
    let index = edges.findIndex((e, n) => e.from === from && e.to === to && !taken.has(n));
    if (index === -1) index = edges.findIndex((e) => e.from === from && e.to === to);
    if (index === -1) {
      // Not a way the runbook offers (a re-run, a resume): drawn dotted.
      edges.push({ from, to, extra: runbookEdges.length > 0 });
      index = edges.length - 1;
    }
    taken.add(index);
  }
  for (const edge of edges) {
    const arrow = edge.extra ? '-.->' : '-->';
    const label = edge.label === undefined ? '' : `|"${mermaidText(edge.label)}"|`;
    lines.push(`  ${ids.get(edge.from)} ${arrow}${label} ${ids.get(edge.to)}`);
  }
  const byStatus = new Map<StepStatus | 'running', string[]>();
  for (const id of new Set(path)) {
    if (!ids.has(id)) continue;
    const status = statuses[id] ?? 'passed';
    byStatus.set(status, [...(byStatus.get(status) ?? []), ids.get(id)!]);
  }
  for (const [status, members] of byStatus) {
    lines.push(`  classDef ${status} ${STATUS_CLASSES[status]}`);
    lines.push(`  class ${members.join(',')} ${status}`);
  }
  if (taken.size > 0) lines.push(`  linkStyle ${[...taken].sort((a, b) => a - b).join(',')} stroke:#1864ab,stroke-width:3px`);
  return lines.join('\n');
}

/** Every way out of every step, in runbook order. */
function runbookEdges(runbook: Runbook): Edge[] {
  const known = new Set(runbook.steps.map((s) => s.id));
  const edges: Edge[] = [];
  runbook.steps.forEach((step, index) => {
    const add = (to: string, label?: string) => {
      if (known.has(to)) edges.push({ from: step.id, to, ...(label !== undefined && { label }) });
    };
    const rules = step.next ?? [];
    for (const rule of rules) add(rule.goto, rule.when);
    let allRouted = rules.some((rule) => rule.when === undefined);
    if (step.kind === 'ask') {
      for (const choice of step.ask.choices) if (choice.goto !== undefined) add(choice.goto, `answer: ${choice.value}`);
      allRouted ||= step.ask.choices.every((choice) => choice.goto !== undefined);
    }
    const following = runbook.steps[index + 1];
    if (step.kind !== 'conclude' && !allRouted && following !== undefined) {
      add(following.id, rules.length > 0 || step.kind === 'ask' ? 'otherwise' : undefined);
    }
  });
  return edges;
}

function node(id: string, step: GraphNode): string {
  const label = `"${mermaidText(step.title)}<br/>${mermaidText(`${step.id} · ${step.kind}`)}"`;
  if (step.kind === 'conclude') return `${id}([${label}])`;
  if (step.kind === 'ask') return `${id}{${label}}`;
  return `${id}[${label}]`;
}

/** Node ids Mermaid accepts (no keywords like `end`, no punctuation), unique per step id. */
function mermaidIds(stepIds: string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const stepId of stepIds) {
    const base = `s_${stepId.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    ids.set(stepId, id);
  }
  return ids;
}

/** Text inside a quoted Mermaid label: entity codes for what would end or re-parse it. */
function mermaidText(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[#"<>`|&{}[\]();]/g, (c) => `#${c.charCodeAt(0)};`);
}
