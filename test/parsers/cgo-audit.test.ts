import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cgoAuditParser } from '../../src/parsers/cgo-audit.js';
import { parse as parseYaml } from 'yaml';

const leakyDir = fileURLToPath(new URL('../go/leaky', import.meta.url));
const leakySource = readFileSync(`${leakyDir}/mode_cgo.go`, 'utf8').split('\n');
const lineOf = (code: string): number => leakySource.findIndex((line) => line.includes(code)) + 1;

/** The audit step's own argv from runbooks/cgo-leak.yaml, run on the Go test service. */
function auditLeaky(): string {
  const runbook = parseYaml(readFileSync(new URL('../../runbooks/cgo-leak.yaml', import.meta.url), 'utf8')) as { steps: Array<{ id: string; run?: { argv: string[] } }> };
  const argv = runbook.steps.find((s) => s.id === 'audit')!.run!.argv.map((a) => (a === '{{ source_dir }}' ? leakyDir : a));
  return spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' }).stdout;
}

describe('cgo-audit', () => {
  it('tells the C.CString never freed from the one freed by defer, with file:line and function (test/go/leaky)', () => {
    const { facts, warnings } = cgoAuditParser.parse(auditLeaky());
    expect(warnings).toEqual([]);
    const leaked = `${leakyDir}/mode_cgo.go:${lineOf('name := C.CString(longName)')}`;
    const freed = `${leakyDir}/mode_cgo.go:${lineOf('cs := C.CString(s)')}`;
    expect(facts).toMatchObject({ allocations: 2, unfreed: 1, freed: 1 });
    expect(facts['calls']).toEqual([
      { file_line: leaked, function: 'main.registerNames', call: 'C.CString', freed: false, deferred: false, variable: 'name', verdict: `C.CString in main.registerNames (${leaked}) is never freed there: no C.free of name in the function` },
      { file_line: freed, function: 'main.nameLength', call: 'C.CString', freed: true, deferred: true, variable: 'cs', verdict: `C.CString in main.nameLength (${freed}) is freed there (deferred)` },
    ]);
    expect(Object.keys(facts['by_line'] as object)).toEqual([`mode_cgo.go:${lineOf('name := C.CString(longName)')}`, `mode_cgo.go:${lineOf('cs := C.CString(s)')}`]);
  });

  it('reads methods, casts, calls passed straight to C, frees through unsafe.Pointer and package-level allocations', () => {
    const grep = [
      'db/conn.go:1:package db',
      'db/conn.go:10:func (c *Conn) Open(dsn string) error {',
      'db/conn.go:11:\tcdsn := C.CString(dsn)',
      'db/conn.go:12:\tbuf := (*C.char)(C.malloc(C.size_t(64)))',
      'db/conn.go:13:\tC.open_db(C.CString(dsn), buf)',
      'db/conn.go:14:\tC.free(unsafe.Pointer(buf))',
      'db/conn.go:15:\t// C.free(unsafe.Pointer(cdsn)) is not code',
      'db/conn.go:16:}',
      'db/conn.go:20:func (c Conn) Name() *C.char { return C.CString("x") }',
      'db/conn.go:30:var banner = C.CString("hello")',
    ].join('\n');
    const { facts } = cgoAuditParser.parse(grep);
    const calls = facts['calls'] as Array<{ file_line: string; function: string; freed: boolean; variable?: string }>;
    expect(calls.map((c) => [c.file_line, c.function, c.freed, c.variable])).toEqual([
      ['db/conn.go:11', 'db.(*Conn).Open', false, 'cdsn'],
      ['db/conn.go:13', 'db.(*Conn).Open', false, undefined],
      ['db/conn.go:20', 'db.Conn.Name', false, undefined],
      ['db/conn.go:30', 'db (package level)', false, 'banner'],
      ['db/conn.go:12', 'db.(*Conn).Open', true, 'buf'],
    ]);
    expect((facts['by_line'] as Record<string, string>)['conn.go:13']).toBe('C.CString in db.(*Conn).Open (db/conn.go:13) is passed straight on and never freed in Go: only the C side can free it');
  });

  it('says so when nothing in the tree calls C allocation functions, and warns on lines that are not grep -nH', () => {
    expect(cgoAuditParser.parse('').facts).toMatchObject({ allocations: 0, unfreed_list: 'the source makes no C.CString, C.CBytes, C.malloc, C.calloc or C.realloc call' });
    expect(cgoAuditParser.parse('just text').warnings[0]!.message).toMatch(/not a grep -nH line/);
  });

  it('is total: any text yields a result, never a throw', () => {
    fc.assert(fc.property(fc.array(fc.string()), (lines) => { cgoAuditParser.parse(lines.map((l, i) => `a.go:${i + 1}:${l}`).join('\n')); }));
  });
});
