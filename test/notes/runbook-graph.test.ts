import { describe, expect, it } from 'vitest';
import type { Runbook } from '../../src/runbook/types.js';
import { renderRunbookGraph } from '../../src/notes/runbook-graph.js';
import { graphRunbook } from '../../src/notes/export.js';
import { runbook } from './fixtures.js';

/** Every line is a statement Mermaid's flowchart grammar accepts, in the forms we emit. */
const STATEMENT = [
  /^flowchart TD$/,
  /^ {2}s_\w+(\["[^"]*"\]|\{"[^"]*"\}|\(\["[^"]*"\]\))$/,
  /^ {2}s_\w+ (-->|-\.->)(\|"[^"|]*"\|)? s_\w+$/,
  /^ {2}classDef \w+ [\w:#,.\- ]+$/,
  /^ {2}class (s_\w+,)*s_\w+ \w+$/,
  /^ {2}linkStyle (\d+,)*\d+ [\w:#,.\- ]+$/,
];

function expectMermaidShape(graph: string): void {
  for (const line of graph.split('\n')) {
    expect(STATEMENT.some((re) => re.test(line)), line).toBe(true);
  }
}

function edges(graph: string): string[] {
  return graph.split('\n').filter((line) => /-->|-\.->/.test(line)).map((line) => line.trim());
}

const hostile: Runbook = {
  id: 'hostile',
  title: 'Hostile',
  summary: '',
  inputs: {},
  file: '/x.yaml',
  sha256: '0',
  steps: [
    { id: 'start', kind: 'run', title: 'Say "hi" | #1 `now` <b>', run: { argv: ['true'] }, next: [{ when: 'a > 1 && b == "x|y"', goto: 'a.b' }] },
    { id: 'a.b', kind: 'ask', title: 'Pick (one) [of] {two}', ask: { question: '?', choices: [{ value: 'left', goto: 'end' }, { value: 'right', goto: 'a-b' }] } },
    { id: 'a-b', kind: 'wait', wait: '1s' },
    { id: 'a_b', kind: 'note', note: { prompt: 'x' } },
    { id: 'end', kind: 'conclude', conclude: { finding: 'f', severity: 'low', text: 't' } },
  ],
};

describe('renderRunbookGraph', () => {
  it('draws every step with its title, every way out, and conclude steps as ends', () => {
    const graph = graphRunbook(runbook).trimEnd();
    expectMermaidShape(graph);
    for (const step of runbook.steps) expect(graph).toContain(`${step.title}<br/>${step.id} · ${step.kind}`.replace(/[()]/g, (c) => `#${c.charCodeAt(0)};`));
    expect(edges(graph)).toEqual([
      's_check_rss -->|"rss_kb #60; 100000"| s_end',
      's_check_rss -->|"otherwise"| s_read_status',
      's_read_status --> s_fetch_vars',
      's_fetch_vars --> s_rss_history',
      's_rss_history --> s_snap_before',
      's_snap_before --> s_settle',
      's_settle --> s_snap_after',
      's_snap_after --> s_compute_share',
      's_compute_share -->|"goroutine_growth #62; 1000"| s_goroutine_leak',
      's_compute_share -->|"heap_share #60; 0.5 #38;#38; rss_growth_mb #62; 50"| s_cgo_suspect',
      's_compute_share -->|"otherwise"| s_ask_deploy',
      's_ask_deploy -->|"answer: yes"| s_regression',
      's_ask_deploy -->|"otherwise"| s_heap_profile',
      's_heap_profile --> s_verify',
      's_verify --> s_observations',
      // An unconditional `next` replaces the fall-through.
      's_observations --> s_goroutine_leak',
    ]);
    expect(graph).toContain('s_goroutine_leak(["Goroutine leak');
    expect(graph).toContain('s_ask_deploy{"Recent deploy?');
    expect(graph).not.toMatch(/classDef|linkStyle/);
  });

  it('makes ids and labels safe for Mermaid', () => {
    const graph = renderRunbookGraph(hostile);
    expectMermaidShape(graph);
    expect(graph).toContain('s_start["Say #34;hi#34; #124; #35;1 #96;now#96; #60;b#62;<br/>start · run"]');
    expect(graph).toContain('s_a_b{"Pick #40;one#41; #91;of#93; #123;two#125;<br/>a.b · ask"}');
    // a.b, a-b and a_b all sanitise to s_a_b: each gets its own id.
    expect(graph).toContain('s_a_b_2["a-b<br/>a-b · wait"]');
    expect(graph).toContain('s_a_b_3["a_b<br/>a_b · note"]');
    expect(edges(graph)).toEqual([
      's_start -->|"a #62; 1 #38;#38; b == #34;x#124;y#34;"| s_a_b',
      's_start -->|"otherwise"| s_a_b',
      's_a_b -->|"answer: left"| s_end',
      's_a_b -->|"answer: right"| s_a_b_2',
      's_a_b_2 --> s_a_b_3',
      's_a_b_3 --> s_end',
    ]);
  });

  it('highlights the path taken and colours steps by status', () => {
    const path = ['start', 'a.b', 'a-b', 'a_b', 'a-b'];
    const graph = renderRunbookGraph(hostile, path, { start: 'passed', 'a.b': 'passed', 'a-b': 'failed', a_b: 'skipped' });
    expectMermaidShape(graph);
    const all = edges(graph);
    // start → a.b takes the first matching edge; a_b → a-b is not in the runbook: dotted.
    expect(all[6]).toBe('s_a_b_3 -.-> s_a_b_2');
    expect(graph).toContain('linkStyle 0,3,4,6 stroke:#1864ab,stroke-width:3px');
    expect(graph).toContain('class s_start,s_a_b passed');
    expect(graph).toContain('class s_a_b_2 failed');
    expect(graph).toContain('class s_a_b_3 skipped');
    expect(graph).toContain('classDef failed ');
    expect(graph).not.toContain('class s_end');
  });
});
