// The markdown is valid GFM whatever the journal holds: a markdown parser (marked's lexer)
// accepts it, tables have the right number of cells on every row, code blocks hold exactly
// the commands and output, and user text never turns into markup or HTML.
import { describe, expect, it } from 'vitest';
import { marked, type Token, type Tokens } from 'marked';
import type { JournalRecord } from '../../src/journal/records.js';
import { renderMarkdown } from '../../src/notes/render-markdown.js';
import { exportFileName, exportSession } from '../../src/notes/export.js';
import { renderJson } from '../../src/notes/render-json.js';
import { UserError } from '../../src/errors.js';
import { readRecords, runbook, sessionNames, SESSION_DIR } from './fixtures.js';

function walk(tokens: Token[], visit: (token: Token) => void): void {
  for (const token of tokens) {
    visit(token);
    const children = (token as { tokens?: Token[] }).tokens;
    if (children !== undefined) walk(children, visit);
    if (token.type === 'list') for (const item of (token as Tokens.List).items) walk(item.tokens, visit);
  }
}

function tokensOf(markdown: string): Token[] {
  const all: Token[] = [];
  walk(marked.lexer(markdown), (t) => all.push(t));
  return all;
}

/** Cells on a raw table line, split on the pipes GFM splits on (not the escaped ones). */
function cellCount(line: string): number {
  const trimmed = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).length;
}

describe.each(sessionNames)('%s notes are well-formed GFM', (name) => {
  const records = readRecords(name);
  const markdown = renderMarkdown({ records, runbook, sessionDir: SESSION_DIR });
  const tokens = tokensOf(markdown);

  it('has the sections in order: header, the alert (when started from one), conclusion, timeline, redaction, path', () => {
    const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading' && t.depth <= 2).map((t) => t.text);
    expect(headings[0]).toMatch(/^Incident notes: /);
    const alert = records.some((r) => r.type === 'session.started' && r.alert !== undefined) ? ['Alert'] : [];
    expect(headings.slice(1)).toEqual([...alert, 'Conclusion', 'Timeline', 'Redaction', 'Path taken']);
  });

  it('every table row has as many cells as its header', () => {
    const tables = tokens.filter((t): t is Tokens.Table => t.type === 'table');
    for (const table of tables) {
      const lines = table.raw.trim().split('\n');
      for (const line of lines) expect(cellCount(line), line).toBe(table.header.length);
    }
  });

  it('each command is a fenced block holding exactly its display text', () => {
    const displays = records.flatMap((r) => (r.type === 'step.started' && r.command ? [r.command.display] : []));
    const blocks = tokens.filter((t): t is Tokens.Code => t.type === 'code' && t.lang === 'sh').map((t) => t.text);
    expect(blocks).toEqual(displays);
  });

  it('ends with the path as a Mermaid flowchart', () => {
    const last = marked.lexer(markdown).filter((t) => t.type !== 'space').pop() as Tokens.Code;
    expect(last.type).toBe('code');
    expect(last.lang).toBe('mermaid');
    expect(last.text.startsWith('flowchart TD\n')).toBe(true);
  });

  it('renders to HTML with no tag that came from recorded text', () => {
    const html = marked.parse(markdown, { async: false });
    expect(html).not.toMatch(/<(script|b)>/);
  });
});

describe('user text stays text', () => {
  const records = readRecords('manual-steps');
  const markdown = renderMarkdown({ records, runbook });
  const tokens = tokensOf(markdown);

  it('a note with markdown and HTML in it is one quote of plain text', () => {
    const quote = tokens.find((t): t is Tokens.Blockquote => t.type === 'blockquote' && t.raw.includes('Not a heading'))!;
    const inner = quote.tokens.map((t) => t.type);
    expect(inner.every((type) => type === 'paragraph' || type === 'space')).toBe(true);
    const text = quote.tokens
      .filter((t): t is Tokens.Paragraph => t.type === 'paragraph')
      .flatMap((p) => p.tokens.map((t) => t.type));
    expect(text.every((type) => type === 'text' || type === 'escape' || type === 'br')).toBe(true);
  });

  it('a quote keeps its line breaks: each line of the note renders on its own line', () => {
    const quote = tokens.find((t): t is Tokens.Blockquote => t.type === 'blockquote' && t.raw.includes('Not a heading'))!;
    const html = marked.parser(quote.tokens);
    expect(html).toMatch(/# Not a heading<br>\s*- not a list<br>/);
  });

  it('a fact name and value with pipes and backticks keep their table shape', () => {
    const table = tokens.find((t): t is Tokens.Table => t.type === 'table' && t.raw.includes('weird'))!;
    const row = table.rows.find((cells) => cells[0]!.text.includes('weird'))!;
    expect(row.map((cell) => cell.tokens.map((t) => (t as Tokens.Codespan).text).join(''))).toEqual(['weird|key', 'a|b `c`']);
  });

  it('a command with a backtick fence inside gets a longer fence', () => {
    const command = tokens.find((t): t is Tokens.Code => t.type === 'code' && t.lang === 'sh')!;
    expect(command.text).toContain('# ``` a fence inside the script');
    expect(command.raw.startsWith('````sh')).toBe(true);
  });

  it('checklist items keep their state', () => {
    expect(markdown).toContain('- [x] Dashboards attached to the ticket\n- [ ] Heap profile saved\n');
  });
});

describe('bounded excerpts', () => {
  const records = readRecords('concluded');

  it('shows at most excerptLines from the head and the tail, and names the artifact for the rest', () => {
    const markdown = renderMarkdown({ records, runbook, sessionDir: '/s', excerptLines: 3 });
    const block = tokensOf(markdown).find((t): t is Tokens.Code => t.type === 'code' && t.text.startsWith('Name:'))!;
    expect(block.text.split('\n')).toEqual([
      'Name:\torders-api',
      'Umask:\t0022',
      'State:\tS (sleeping)',
      '… 52 lines not shown …',
      'Mems_allowed_list:\t0',
      'voluntary_ctxt_switches:\t1822931',
      'nonvoluntary_ctxt_switches:\t40012',
    ]);
    expect(markdown).toContain('the full output is in `artifacts/002-read-status.txt`');
  });

  it('caps the facts table and points at the facts file', () => {
    const many: JournalRecord[] = records.map((r) =>
      r.type === 'step.finished' && r.step === 'compute-share'
        ? { ...r, facts: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`fact_${i}`, i])), artifacts: { facts: 'artifacts/007-compute-share/facts.json' } }
        : r,
    );
    const markdown = renderMarkdown({ records: many, runbook });
    expect(markdown).toContain('`fact_11`');
    expect(markdown).not.toContain('`fact_12`');
    expect(markdown).toContain('… and 18 more facts in `artifacts/007-compute-share/facts.json`.');
  });

  it("shows a snapshot's key facts per collector, and what was missing, not whole objects", () => {
    const markdown = renderMarkdown({ records, runbook });
    const start = markdown.indexOf('(`snap-after`, snapshot)');
    const after = markdown.slice(start, markdown.indexOf('\n### ', start));
    expect(after).toMatch(/\| `smaps_rollup_diff\.rss_kb` \| `[\d.]+ MiB` \|/); // human units, not raw kB
    expect(after).not.toContain('{"');
    expect(after).toContain('Every collected fact is in `artifacts/006-snap-after/facts.json`.');
  });
});

describe('notes a ticket takes as they are (issue 16)', () => {
  it('names the session directory once, artifact paths relative to it; no empty or unused inputs; no null facts', () => {
    const base = readRecords('cancelled');
    const records = base.map((r): JournalRecord => {
      if (r.type === 'session.started') return { ...r, inputs: { ...r.inputs, gctrace: '', pprof: 'http://127.0.0.1:6060' } };
      return r.type === 'step.finished' && r.facts !== undefined ? { ...r, facts: { ...r.facts, states: null } } : r;
    });
    const replay = { ...runbook, inputs: { ...runbook.inputs, pprof: { type: 'url' as const, live_only: true }, gctrace: { type: 'path' as const, optional: true } } };
    const markdown = renderMarkdown({ records, runbook: replay, sessionDir: SESSION_DIR });
    expect(markdown.split(SESSION_DIR)).toHaveLength(2); // named once
    expect(markdown).toMatch(/holds the artifacts named below/);
    expect(markdown).toMatch(/`artifacts\/\S+`/);
    const inputs = /- \*\*Inputs:\*\* (.*)/.exec(markdown)?.[1] ?? '';
    expect(inputs).toContain('`pid` = `48213`');
    expect(inputs).not.toContain('gctrace');
    expect(inputs).not.toContain('pprof');
    expect(markdown).not.toContain('`` ``'); // an empty code span
    expect(markdown).not.toMatch(/`states`/);
    expect(markdown).not.toMatch(/\| `null` \|/);
  });
});

describe('any prefix of a journal renders', () => {
  it('every prefix of every fixture gives parseable notes with consistent tables', () => {
    for (const name of sessionNames) {
      const records = readRecords(name);
      for (let n = 1; n <= records.length; n++) {
        const markdown = renderMarkdown({ records: records.slice(0, n) });
        expect(markdown).toMatch(/^# Incident notes: /);
        const ended = records.slice(0, n).some((r) => r.type === 'session.ended');
        if (!ended) expect(markdown).toContain('**Outcome:** **in progress**');
        for (const table of tokensOf(markdown).filter((t): t is Tokens.Table => t.type === 'table')) {
          for (const line of table.raw.trim().split('\n')) expect(cellCount(line)).toBe(table.header.length);
        }
      }
    }
  });
});

describe('exportSession()', () => {
  it('masks token shapes left in a journal by an older writer', () => {
    const records = readRecords('concluded').map((r) =>
      r.type === 'note.added'
        ? { ...r, text: 'used ghp_16C7e42F292c6912E7710c838347Ae178B4a and Authorization: Basic dXNlcjpwYXNz\x1b]52;c;cHduZWQ=\x07' }
        : r,
    );
    const markdown = exportSession(records, { runbook });
    expect(markdown).toContain('REDACTED:github-token');
    expect(markdown).not.toContain('16C7e42F292c6912E7710c838347Ae178B4a');
    expect(markdown).not.toContain('dXNlcjpwYXNz');
    expect(markdown).not.toContain('cHduZWQ');
    expect(markdown).not.toContain('\x1b');
  });

  it('names the journal when it has no session start', () => {
    expect(() => exportSession([], { sessionDir: '/s/abc' })).toThrow(UserError);
    expect(() => exportSession([], { sessionDir: '/s/abc' })).toThrow('/s/abc/journal.jsonl has no session.started record');
  });

  it('renders without the runbook: titles from the journal, the graph over the steps run', () => {
    const markdown = exportSession(readRecords('failed'));
    expect(markdown).toContain('### 1. RSS and thread count (`check-rss`, run): **FAILED**');
    expect(markdown).toContain('s_check_rss --> s_fetch_vars');
    expect(markdown).not.toContain('s_ask_deploy');
  });

  it('suggests a file name per session and format', () => {
    expect(exportFileName('20261121-234107-orders')).toBe('notes-20261121-234107-orders.md');
    expect(exportFileName('a/b c', 'json')).toBe('notes-a_b_c.json');
  });

  it('renders an empty journal as a versioned error, not a crash', () => {
    expect(renderJson({ records: [] })).toEqual({ notes_version: 1, error: 'the journal has no session.started record' });
    expect(renderMarkdown({ records: [] })).toContain('nothing to report');
  });

  it('writes versioned JSON with the same content', () => {
    const json = JSON.parse(exportSession(readRecords('concluded'), { format: 'json', runbook }));
    expect(json.notes_version).toBe(1);
    expect(json.outcome).toBe('concluded');
    expect(json.conclusion.finding).toBe('goroutine-leak');
    expect(json.conclusion.evidence[0].explanation).toBe('goroutine_growth = 1495 > 1000 → goroutine-leak');
    expect(json.redaction).toEqual({ total: 3, counts: { 'secret-input': 2, 'authorization-header': 1 } });
    expect(json.path).toEqual(['check-rss', 'read-status', 'fetch-vars', 'rss-history', 'snap-before', 'settle', 'snap-after', 'compute-share', 'goroutine-leak']);
    expect(json.path_graph.startsWith('flowchart TD')).toBe(true);
  });
});

describe('the alert rule link', () => {
  const withRule = (url: string): JournalRecord[] =>
    readRecords('concluded').map((record) => (record.type === 'session.started' && record.alert !== undefined ? { ...record, alert: { ...record.alert, generator_url: url } } : record));
  // The rule's link, among the graph links the notes also hold.
  const links = (url: string) => tokensOf(renderMarkdown({ records: withRule(url), runbook })).filter((t): t is Tokens.Link => t.type === 'link' && ((t as Tokens.Link).href === url || !/^https?:/.test((t as Tokens.Link).href)));

  it('links an http(s) rule page and prints any other URL as code text', () => {
    const page = 'http://prometheus:9090/graph?g0.expr=rate(x[5m])';
    expect(links(page).map((link) => link.href)).toContain(page);
    for (const url of ['javascript:alert(document.cookie)', 'file:///etc/passwd', 'data:text/html,<b>x</b>']) {
      const markdown = renderMarkdown({ records: withRule(url), runbook });
      expect(links(url), url).toEqual([]);
      expect(markdown).toMatch(/- \*\*Rule:\*\* `+ ?[a-z]+:/);
    }
  });
});
