import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lsanParser } from '../../src/parsers/lsan.js';
import { expectEverySplit } from '../helpers/feed-in-pieces.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/lsan/${name}`, import.meta.url), 'utf8');

describe('lsan', () => {
  it('names the C function and file:line of a C library that keeps large blocks (leaky c-large-malloc, -asan)', () => {
    const { facts, warnings, error } = lsanParser.parse(fixture('c-large-malloc.txt'));
    expect(error).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({ reported: true, leaks: 1, leaked_bytes: 16777216, leaked_allocations: 16, top_kind: 'direct', top_objects: 16, top_mb: 16 });
    expect(facts['top_site']).toBe('hold_block (/_/leaky@/mode_cgo.go:27)');
    expect(facts['finding']).toBe('16 MiB in 16 objects (direct) from hold_block (/_/leaky@/mode_cgo.go:27); 1 leaking stack, 16 MiB in all');
  });

  it('says a C.CString made from Go has its caller beyond the report (leaky cstring-leak, -asan)', () => {
    const { facts } = lsanParser.parse(fixture('cstring-leak.txt'));
    expect(facts).toMatchObject({ leaks: 1, leaked_bytes: 14581760, top_objects: 445 });
    expect(facts['top_site']).toMatch(/^a C\.CString, C\.CBytes or C\.malloc made from Go \(LeakSanitizer does not walk Go frames/);
    expect((facts['stacks'] as Array<{ stack: string }>)[0]!.stack).toBe('_cgo_53399e5c2099_Cfunc__Cmalloc (/tmp/go-build/_cgo_export.c:30) ← runtime.asmcgocall (runtime/asm_amd64.s:844)');
  });

  it('orders several leaks by bytes, reads module+offset frames and log prefixes, counts indirect leaks apart', () => {
    const report = [
      'app: 2026/01/02 ==7==ERROR: LeakSanitizer: detected memory leaks',
      'app: Direct leak of 100 byte(s) in 1 object(s) allocated from:',
      'app:     #0 0x4d1ab3 in malloc',
      'app:     #1 0xacca62 in parse_config /src/conf.c:12:3',
      '',
      'Indirect leak of 4096 byte(s) in 2 object(s) allocated from:',
      '    #0 0x4d1ab3 in malloc',
      '    #1 0x54fcc1  (/tmp/exe/app+0x54fcc1) (BuildId: 13a8f7535c789ccc0a6259a3e27a5befb40c7173)',
      '',
      'SUMMARY: AddressSanitizer: 4196 byte(s) leaked in 3 allocation(s).',
    ].join('\n');
    const { facts, warnings } = lsanParser.parse(report);
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({ leaks: 2, leaked_bytes: 4196, leaked_allocations: 3, top_kind: 'indirect', indirect_mb: 0, top_site: 'unsymbolised (/tmp/exe/app+0x54fcc1)' });
    expect((facts['stacks'] as Array<{ site: string }>)[1]!.site).toBe('parse_config (/src/conf.c:12:3)');
  });

  it('reads no report as no leak found, with the reasons a check may not have run', () => {
    const { facts, warnings, error } = lsanParser.parse('listening on 127.0.0.1:4000\n');
    expect(error).toBeUndefined();
    expect(facts).toMatchObject({ reported: false, leaks: 0, finding: 'LeakSanitizer reported no leak at exit' });
    expect(warnings[0]!.message).toMatch(/__lsan_do_leak_check/);
  });

  it('warns when the report is cut short (no SUMMARY line)', () => {
    const cut = fixture('c-large-malloc.txt').split('SUMMARY')[0]!;
    const { facts, warnings } = lsanParser.parse(cut);
    expect(facts['leaked_bytes']).toBe(16777216);
    expect(warnings.map((w) => w.message)).toContain('no SUMMARY line: the report was cut short; leaks after the cut are missing');
  });

  it('is total: any text yields a result, never a throw', () => {
    fc.assert(fc.property(fc.string(), (text) => { lsanParser.parse(`Direct leak of 1 byte(s) in 1 object(s) allocated from:\n${text}`); }));
  });

  it('in chunks gives what one parse gives, for any split of the real reports (BOM and CRLF included)', () => {
    for (const name of readdirSync(new URL('../fixtures/lsan/', import.meta.url)).filter((f) => f.endsWith('.txt') && f !== 'SOURCE.txt')) {
      const plain = Buffer.from(fixture(name));
      const crlf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(fixture(name).replace(/\n/g, '\r\n'))]);
      for (const input of [plain, crlf]) {
        expectEverySplit(() => lsanParser.stream(), input, lsanParser.parse(input));
      }
      expect(lsanParser.parse(crlf).facts.leaks).toBe(lsanParser.parse(plain).facts.leaks);
    }
  });
});
