import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuantity, pprofTopParser } from '../../src/parsers/pprof-top.js';
import { fixture } from './pprof-peer.js';
import { expectJsonFacts } from './facts-json.js';
import { expectEverySplit } from '../helpers/feed-in-pieces.js';

const expected = (name: string): Buffer => fixture(`pprof/local/expected_pprof_1.19.8/${name}`);

describe('pprof-top parser', () => {
  it('reads the header and rows of a -unit=B listing exactly', () => {
    const { facts, warnings } = pprofTopParser.parse(expected('heap_after.top.unitB.txt'));
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({ file: 'leaky', type: 'inuse_space', total: 19454202, shown_total: 19454202, unit: 'bytes', approximate: false });
    const rows = facts.rows as Record<string, unknown>[];
    expect(rows).toHaveLength(11);
    expect(rows[1]).toEqual({ flat: 524496, flat_pct: 2.7, sum_pct: 97.3, cum: 524496, cum_pct: 2.7, name: 'runtime.malg', inline: '' });
  });

  it('normalises scaled units to bytes and ns (pprof kB = 1024 B) and marks them approximate', () => {
    const heap = pprofTopParser.parse(expected('heap_after.top.txt')).facts;
    expect(heap).toMatchObject({ unit: 'bytes', approximate: true });
    // 17973.99kB; the exact value in heap_after.top.unitB.txt is 18405370B.
    expect(Math.abs(((heap.rows as { flat: number }[])[0]!.flat) - 18405370)).toBeLessThan(0.005 * 1024);
    const cpu = pprofTopParser.parse(expected('cpu_after.top.txt')).facts;
    expect(cpu).toMatchObject({ unit: 'ns', total: 40_000_000, duration: '2s, Total samples = 40ms ( 2.00%)' });
  });

  it('reads diff output: negative values, percentages over 100, the dropped-nodes line, (inline)', () => {
    const { facts } = pprofTopParser.parse(expected('goroutine.diff_base.top.txt'));
    expect(facts).toMatchObject({ type: 'goroutine', total: 3, dropped_nodes: 8, unit: 'count' });
    expect((facts.rows as unknown[])[0]).toEqual({ flat: 506, flat_pct: 16866.67, sum_pct: 16866.67, cum: 506, cum_pct: 16866.67, name: 'runtime.gopark', inline: '' });
    const heap = pprofTopParser.parse(expected('heap.diff_base.top.unitB.txt')).facts.rows as { flat: number; name: string; inline: string }[];
    expect(heap[1]).toMatchObject({ flat: -525312, name: 'bufio.NewWriterSize', inline: 'inline' });
  });

  it('reads names with spaces and brackets (C++ and unsymbolized frames)', () => {
    const { facts } = pprofTopParser.parse(expected('google_cppbench.contention.diff_base.top.txt'));
    expect((facts.rows as { name: string }[]).map((r) => r.name)).toEqual(['[cppbench_server_main]', '[libpthread-2.15.so]']);
    expect(facts.type).toBe('delay');
  });

  it('parses quantities in every unit pprof prints', () => {
    expect(parseQuantity('512.14kB')!.value).toBe(Math.round(512.14 * 1024));
    expect(parseQuantity('1.50MB')!.value).toBe(1572864);
    expect(parseQuantity('3.20s')!.value).toBe(3_200_000_000);
    expect(parseQuantity('9.17hrs')!.value).toBe(Math.round(9.17 * 3600e9));
    expect(parseQuantity('-513kB')!.value).toBe(-513 * 1024);
    expect(parseQuantity('42')).toEqual({ value: 42, unit: null, scaled: false });
    expect(parseQuantity('12parsecs')).toBeNull();
  });

  it('warns on rows whose numbers are not numbers instead of storing NaN', () => {
    const r = pprofTopParser.parse('      flat  flat%   sum%        cum   cum%\n 1 abc% 1% 2 1%  f\n 1e999 1% 1% 2 1%  g\n');
    expect(r.facts.rows).toEqual([]);
    expect(r.warnings.map((w) => w.line)).toEqual([2, 3]);
  });

  it('rejects text without the table and empty input', () => {
    expect(pprofTopParser.parse('hello\nworld').error?.code).toBe('unrecognised-format');
    expect(pprofTopParser.parse('\n\n').error?.code).toBe('empty');
  });
});

// The -top layout of report.printText: %10s %s %s %10s %s  name.
function renderTop(rows: { flat: number; flat_pct: number; sum_pct: number; cum: number; cum_pct: number; name: string }[]): string {
  const pct = (p: number): string => `${p.toFixed(2)}%`;
  return [
    'Type: inuse_space',
    'Showing nodes accounting for 1B, 100% of 1B total',
    '      flat  flat%   sum%        cum   cum%',
    ...rows.map((r) => `${`${r.flat}B`.padStart(10)} ${pct(r.flat_pct)} ${pct(r.sum_pct)} ${`${r.cum}B`.padStart(10)} ${pct(r.cum_pct)}  ${r.name}`),
  ].join('\n');
}

describe('pprof-top parser: properties', () => {
  const pctArb = fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 100);
  const rowArb = fc.record({
    flat: fc.integer({ min: -1e12, max: 1e12 }),
    flat_pct: pctArb,
    sum_pct: pctArb,
    cum: fc.integer({ min: -1e12, max: 1e12 }),
    cum_pct: pctArb,
    name: fc.stringMatching(/^[A-Za-z_][\w./()*\[\] <>-]{0,40}[\w)\]>]$/).filter((n) => !/ \((?:partial-)?inline\)$/.test(n)),
  });

  it('parse(render(rows)) returns the rows', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 20 }), (rows) => {
        const { facts, warnings } = pprofTopParser.parse(renderTop(rows));
        expect(warnings).toEqual([]);
        expect(facts.rows).toEqual(rows.map((r) => ({ ...r, inline: '' })));
      }),
    );
  });

  it('never throws on arbitrary text or bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 })), (input) => {
        expectJsonFacts(pprofTopParser.parse(input).facts);
      }),
      { numRuns: 2000 },
    );
  });

  it('in chunks gives what one parse gives, for any split of real listings (CRLF and the BOM included)', () => {
    for (const name of ['heap_after.top.unitB.txt', 'cpu_after.top.txt', 'google_cppbench.contention.diff_base.top.txt', 'goroutine_after.top.txt']) {
      const plain = expected(name);
      const crlf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(plain.toString('latin1').replace(/\n/g, '\r\n'), 'latin1')]);
      expect(pprofTopParser.parse(crlf)).toEqual(pprofTopParser.parse(plain));
      for (const input of [plain, crlf]) expectEverySplit(() => pprofTopParser.stream(), input, pprofTopParser.parse(input));
    }
  });
});

