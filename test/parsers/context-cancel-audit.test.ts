import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { contextCancelAuditParser } from '../../src/parsers/context-cancel-audit.js';

const leakyDir = fileURLToPath(new URL('../go/leaky', import.meta.url));
const lineOf = (file: string, code: string): number => readFileSync(`${leakyDir}/${file}`, 'utf8').split('\n').findIndex((line) => line.includes(code)) + 1;

/** The cancel_audit step's own argv from runbooks/goroutine-leak.yaml, run on the Go test service. */
function auditLeaky(): string {
  const runbook = parseYaml(readFileSync(new URL('../../runbooks/goroutine-leak.yaml', import.meta.url), 'utf8')) as { steps: Array<{ id: string; run?: { argv: string[] } }> };
  const argv = runbook.steps.find((s) => s.id === 'cancel_audit')!.run!.argv.map((a) => (a === '{{ source_dir }}' ? leakyDir : a));
  return spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
}

/** grep -nH lines of one file, numbered from 1. */
const file = (name: string, lines: string[]): string => lines.map((text, i) => `${name}:${i + 1}:${text}`).join('\n');

type Row = [string, string, string, boolean, boolean, string | undefined];
const rows = (facts: Record<string, unknown>): Row[] =>
  (facts['derivations'] as Array<{ file_line: string; function: string; cancel: string; called: boolean; deferred: boolean; handed_on?: string }>).map((d) => [d.file_line, d.function, d.cancel, d.called, d.deferred, d.handed_on]);

describe('context-cancel-audit', () => {
  it("names the test service's function that drops a cancel function, with file:line, before the one that stores it (test/go/leaky)", () => {
    const { facts, warnings } = contextCancelAuditParser.parse(auditLeaky());
    expect(warnings).toEqual([]);
    const dropped = `${leakyDir}/mode_goroutine_waits.go:${lineOf('mode_goroutine_waits.go', 'ctx, _ := context.WithCancel(parent)')}`;
    const stored = `${leakyDir}/main.go:${lineOf('main.go', 'ctx, cancel := context.WithCancel(context.Background())')}`;
    expect(facts).toMatchObject({ derived: 2, never_cancelled: 1, handed_on: 1, cancelled: 0 });
    expect(facts['never_cancelled_list']).toBe(
      `main.handleWithTimeoutBudget (${dropped}) discards the cancel function of context.WithCancel (assigned to _): that context is never cancelled; ` +
        `main.(*controller).set (${stored}) gets cancel from context.WithCancel and hands it on (stored in a variable, a field, a channel or a composite): check that it is called there`,
    );
    expect(facts['files']).toBe(facts['context_files']);
  });

  it('tells called, deferred, handed-on, discarded, overwritten and forgotten cancel functions apart', () => {
    const source = [
      file('svc/work.go', [
        'package svc',
        'import (',
        '\t"context"',
        '\t"time"',
        ')',
        'func Deferred(parent context.Context) {',
        '\tctx, cancel := context.WithTimeout(parent, time.Second)',
        '\tdefer cancel()',
        '\tuse(ctx)',
        '}',
        'func Forgotten(parent context.Context) {',
        '\tctx, cancel := context.WithDeadline(parent, time.Now().Add(time.Minute))',
        '\tuse(ctx)',
        '}',
        'func Dropped(parent context.Context) {',
        '\tctx, _ := context.WithCancelCause(parent)',
        '\tuse(ctx)',
        '}',
        'func Returned(parent context.Context) (context.Context, context.CancelFunc) {',
        '\tctx, stop := context.WithCancel(parent)',
        '\treturn ctx, stop',
        '}',
        'func Timer(parent context.Context) {',
        '\tctx, cancel := context.WithCancel(parent)',
        '\ttime.AfterFunc(time.Second, cancel)',
        '\tuse(ctx)',
        '}',
        'func (w *Worker) Start(parent context.Context) {',
        '\tctx, cancel := context.WithCancel(parent)',
        '\tw.ctx, w.cancel = ctx, cancel',
        '}',
        'func InGoroutine(parent context.Context) {',
        '\tctx, cancel := context.WithCancel(parent)',
        '\tgo func() {',
        '\t\tdefer cancel()',
        '\t\tuse(ctx)',
        '\t}()',
        '}',
        'func Overwritten(parent context.Context) {',
        '\tctx, cancel := context.WithTimeout(parent, time.Second)',
        '\tctx, cancel = context.WithTimeout(ctx, 2*time.Second)',
        '\tdefer cancel()',
        '\tuse(ctx)',
        '}',
        'func OneLine(parent context.Context) {',
        '\tctx, cancel := context.WithTimeout(parent, time.Duration(n)*time.Second); defer cancel()',
        '\tuse(ctx)',
        '}',
        'func Compared(parent context.Context) {',
        '\tctx, cancel := context.WithCancel(parent)',
        '\tif cancel == nil || w.cancel != nil {',
        '\t\treturn',
        '\t}',
        '\t// call cancel() when done',
        '}',
      ]),
      // No `import "context"`: not read.
      file('svc/other.go', ['package svc', 'func F() {', '\tctx, _ := context.WithCancel(p)', '}']),
    ].join('\n');
    const { facts } = contextCancelAuditParser.parse(source);
    expect(rows(facts)).toEqual([
      ['svc/work.go:12', 'svc.Forgotten', 'cancel', false, false, undefined],
      ['svc/work.go:16', 'svc.Dropped', '_', false, false, undefined],
      // Assigned again before it was called: the first one is lost.
      ['svc/work.go:40', 'svc.Overwritten', 'cancel', false, false, undefined],
      // A comparison and a comment are not calls.
      ['svc/work.go:50', 'svc.Compared', 'cancel', false, false, undefined],
      ['svc/work.go:20', 'svc.Returned', 'stop', false, false, 'returned to the caller'],
      ['svc/work.go:24', 'svc.Timer', 'cancel', false, false, 'passed to time.AfterFunc'],
      ['svc/work.go:29', 'svc.(*Worker).Start', 'cancel', false, false, 'stored in a variable, a field, a channel or a composite'],
      ['svc/work.go:7', 'svc.Deferred', 'cancel', true, true, undefined],
      ['svc/work.go:33', 'svc.InGoroutine', 'cancel', true, true, undefined],
      ['svc/work.go:41', 'svc.Overwritten', 'cancel', true, true, undefined],
      ['svc/work.go:46', 'svc.OneLine', 'cancel', true, true, undefined],
    ]);
    expect(facts).toMatchObject({ derived: 11, never_cancelled: 4, handed_on: 3, cancelled: 4, context_files: 1, files: 2 });
    expect(facts['never_cancelled_list']).toMatch(/^svc\.Forgotten \(svc\/work\.go:12\) gets cancel from context\.WithDeadline and never calls it; svc\.Dropped \(svc\/work\.go:16\) discards the cancel function of context\.WithCancelCause \(assigned to _\): that context is never cancelled;/);
  });

  it('reads fields, else-if and var forms, named results, and ignores calls in comments and strings', () => {
    const source = file('svc/conn.go', [
      'package svc',
      'import "context"',
      'var handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {',
      '\tctx, cancel := context.WithCancel(r.Context())',
      '\tuse(ctx)',
      '})',
      'func (c *Conn) Open(parent context.Context) {',
      '\tc.ctx, c.cancel = context.WithCancel(parent)',
      '}',
      'func Budget(p context.Context) (ctx context.Context, cancel context.CancelFunc) {',
      '\tctx, cancel = context.WithTimeout(p, time.Second)',
      '\treturn',
      '}',
      'func Branch(p context.Context, fast bool) {',
      '\tif fast {',
      '\t\treturn',
      '\t} else if ctx, cancel := context.WithTimeout(p, time.Second); ctx != nil {',
      '\t\tuse(ctx)',
      '\t}',
      '}',
      'func Commented(p context.Context) {',
      '\tctx, cancel := context.WithTimeout(p, time.Second) // TODO: cancel() on shutdown',
      '\tlog.Printf("will cancel() later")',
      '\tuse(ctx)',
      '}',
      'func Global() {',
      '\tvar ctx, stop = context.WithCancel(context.Background())',
      '\tdefer stop()',
      '}',
      'func cleanup() {',
      '\tdefer cancel()',
      '}',
    ]);
    expect(rows(contextCancelAuditParser.parse(source).facts)).toEqual([
      // The package-level handler's cancel is not cleanup()'s (a function of its own).
      ['svc/conn.go:4', 'svc (package level)', 'cancel', false, false, undefined],
      ['svc/conn.go:17', 'svc.Branch', 'cancel', false, false, undefined],
      ['svc/conn.go:22', 'svc.Commented', 'cancel', false, false, undefined],
      ['svc/conn.go:8', 'svc.(*Conn).Open', 'c.cancel', false, false, 'stored in a field'],
      ['svc/conn.go:11', 'svc.Budget', 'cancel', false, false, 'returned to the caller (a named result)'],
      ['svc/conn.go:27', 'svc.Global', 'stop', true, true, undefined],
    ]);
  });

  it('says what it read when the tree derives no context, and warns on lines that are not grep -nH', () => {
    expect(contextCancelAuditParser.parse(file('a/b.go', ['package b', 'import "context"', 'func F(ctx context.Context) {}'])).facts['never_cancelled_list']).toBe(
      'no context.WithCancel, WithTimeout or WithDeadline in the 1 Go files that import context (of 1 read)',
    );
    expect(contextCancelAuditParser.parse(file('a/b.go', ['package b', 'func F() {}'])).facts['never_cancelled_list']).toBe("no Go file that imports context was read (1 read): is it the service's source tree?");
    expect(contextCancelAuditParser.parse('just text').warnings[0]!.message).toMatch(/not a grep -nH line/);
  });

  it('is total: any text yields a result, never a throw', () => {
    fc.assert(fc.property(fc.array(fc.string()), (lines) => { contextCancelAuditParser.parse(['a.go:1:import "context"', ...lines.map((l, i) => `a.go:${i + 2}:${l}`)].join('\n')); }));
  });
});
