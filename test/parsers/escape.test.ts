import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeDiffer } from '../../src/diffs/escape.js';
import { escapeParser } from '../../src/parsers/escape.js';
import type { FactValue } from '../../src/parsers/types.js';
import { expectJsonFacts } from './facts-json.js';
import { fixture } from './pprof-peer.js';

type Row = { [key: string]: FactValue };
const text = (name: string): string => fixture(`escape/${name}`).toString('utf8');
const fixtures = ['leaky.m2.txt', 'leaky.m1.txt', 'leaky-noescape.m2.txt', 'bufio.m2.txt', 'container-list.m1.txt'];

/** The -m lines, read the way one would with grep: POSITION: message, for the four kinds. */
function grepSummaries(output: string): string[] {
  const found: string[] = [];
  for (const line of output.split('\n')) {
    const m = /^(.+?:\d+(?::\d+)?): (moved to heap: (.*)|leaking param content: (.*)|leaking param: (\S+)(?: to result .*)?|(.*) escapes to heap|(.*) does not escape)$/.exec(line);
    if (!m) continue;
    const kind = m[3] !== undefined ? 'moved-to-heap' : m[4] !== undefined ? 'leaking-param-content' : m[5] !== undefined ? 'leaking-param' : m[6] !== undefined ? 'escapes-to-heap' : 'does-not-escape';
    found.push(`${m[1]} ${kind} ${m[3] ?? m[4] ?? m[5] ?? m[6] ?? m[7]}`);
  }
  return found.sort();
}

const position = (e: Row): string => `${String(e.file)}:${String(e.line)}${e.col ? `:${String(e.col)}` : ''}`;

describe('escape parser: peer-checked against the compiler output it reads (go1.19.8)', () => {
  for (const name of fixtures) {
    it(`${name}: one entry per -m line, every -m=2 explanation attached at its position`, () => {
      const output = text(name);
      const r = escapeParser.parse(output);
      expect(r.error).toBeUndefined();
      const entries = r.facts.entries as Row[];
      const ours = entries.filter((e) => e.m1 === true).map((e) => `${position(e)} ${String(e.kind)} ${String(e.what)}`).sort();
      expect(ours).toEqual(grepSummaries(output));
      // Counts as `grep -c` gives them, on the -m lines.
      const count = (re: RegExp): number => output.split('\n').filter((l) => re.test(l)).length;
      const m1 = (kinds: string[]): number => entries.filter((e) => e.m1 === true && kinds.includes(String(e.kind))).length;
      expect(m1(['moved-to-heap'])).toBe(count(/: moved to heap: /));
      expect(m1(['escapes-to-heap'])).toBe(count(/ escapes to heap$/));
      expect(m1(['leaking-param', 'leaking-param-content'])).toBe(count(/: leaking param/));
      expect(r.facts.does_not_escape).toBe(count(/ does not escape$/));
      const headers = output.split('\n').filter((l) => / escapes to heap:$|: parameter \S+ leaks to .* with derefs=-?\d+:$/.test(l));
      expect(r.facts.format).toBe(headers.length > 0 ? 'm=2' : 'm');
      for (const header of headers) {
        const [, pos, what] = /^(.+?:\d+(?::\d+)?): (?:parameter (\S+) leaks to|(.*) escapes to heap:)/.exec(header)!.filter((x) => x !== undefined) as string[];
        expect(entries.some((e) => position(e) === pos && e.what === what && (e.flows as Row[]).length > 0), header).toBe(true);
      }
    });
  }

  it('the closure-captured buffer: moved to heap, with the chain of reasons and the fix', () => {
    const r = escapeParser.parse(text('leaky.m2.txt'));
    const buf = (r.facts.entries as Row[]).find((e) => e.file === './alloc_hot_escape.go' && e.kind === 'moved-to-heap')!;
    expect(buf).toMatchObject({ line: 17, col: 6, what: 'buf', cause: 'closure-capture', m1: true });
    expect(buf.flows).toEqual([
      {
        flow: '{storage for func literal} = &buf',
        steps: [
          { what: 'buf', reason: 'captured by a closure', at: './alloc_hot_escape.go:21:42' },
          { what: 'buf', reason: 'reference', at: './alloc_hot_escape.go:21:42' },
        ],
      },
    ]);
    expect(String(buf.fix)).toMatch(/closure/);
    const id = (r.facts.entries as Row[]).find((e) => e.file === './alloc_hot_escape.go' && e.what === 'id')!;
    expect(id).toMatchObject({ line: 22, kind: 'escapes-to-heap', cause: 'interface-conversion' });
    // -m alone: the same verdicts, no reasons.
    const m1 = escapeParser.parse(text('leaky.m1.txt'));
    expect((m1.facts.entries as Row[]).find((e) => e.file === './alloc_hot_escape.go' && e.what === 'id')).toMatchObject({ cause: 'interface-conversion', flows: [] });
  });

  it('why names where the value is kept, which is often another line than the allocation', () => {
    const entries = escapeParser.parse(text('leaky.m2.txt')).facts.entries as Row[];
    const at = (file: string, line: number, what: string): string => String(entries.find((e) => e.file === file && e.line === line && e.what === what && e.kind !== 'does-not-escape')!.why);
    // main.go:248 allocates; main.go:250 stores it in a global.
    expect(at('./main.go', 248, 'make([]byte, 1024)')).toBe('make([]byte, 1024) escapes to heap (stored where it outlives the call: a global, a heap object or a channel), through `workingSet[slot] = buf` (assign) at ./main.go:250:21');
    expect(at('./alloc_hot_escape.go', 21, 'func literal')).toMatch(/, through `lastRequestFlush = func literal` \(assign\) at \.\/alloc_hot_escape\.go:21:19$/);
    expect(at('./alloc_hot_escape.go', 22, 'id')).toMatch(/^id escapes to heap \(converted to an interface: .*\), through `lastRequestLabel = id` \(assign\) at \.\/alloc_hot_escape\.go:22:19$/);
    // -m alone has no flows: the verdict and its cause only.
    const m1 = escapeParser.parse(text('leaky.m1.txt')).facts.entries as Row[];
    expect(String(m1.find((e) => e.file === './main.go' && e.line === 248 && e.kind === 'escapes-to-heap')!.why)).not.toContain('through');
  });

  it('the noescape build: the same function keeps buf and the closure on the stack', () => {
    const entries = escapeParser.parse(text('leaky-noescape.m2.txt')).facts.entries as Row[];
    const hot = entries.filter((e) => e.file === './alloc_hot_noescape.go');
    expect(hot.filter((e) => e.kind !== 'does-not-escape')).toEqual([]);
    expect(hot.map((e) => `${String(e.what)} ${String(e.kind)}`)).toContain('func literal does-not-escape');
  });

  it('standard library: non-constant make sizes, params leaking to results', () => {
    const entries = escapeParser.parse(text('bufio.m2.txt')).facts.entries as Row[];
    const make = entries.find((e) => e.file === '/usr/lib/go-1.19/src/bufio/bufio.go' && e.line === 57 && String(e.what).startsWith('make('))!;
    expect(make).toMatchObject({ kind: 'escapes-to-heap', cause: 'non-constant-size' });
    expect(entries.find((e) => e.line === 122 && e.kind === 'leaking-param')).toMatchObject({ what: 'b', detail: 'to result ~r0 level=1', cause: 'returned-pointer' });
  });

  it('joins allocation sites by file:line across path forms (profile -trimpath vs ./ relative)', () => {
    const sites = [
      { function: 'main.serveAllocRequest', file: 'leaky/alloc_hot_escape.go', line: 17, share_pct: 79.4, objects_share_pct: 24.6, bytes_per_s: 34872950.5 },
      { function: 'main.serveAllocRequest', file: '/build/src/leaky/alloc_hot_escape.go', line: 22, share_pct: 0.6, bytes_per_s: 273524.5 },
      { function: 'compress/flate.NewWriter', file: 'compress/flate/deflate.go', line: 666, share_pct: 0.4 },
      { file: 'leaky/alloc_hot_escape.go', line: 99 },
      'not a site',
    ];
    const r = escapeParser.parse(text('leaky.m2.txt'), { sites });
    const joined = r.facts.sites as Row[];
    expect(joined).toHaveLength(4);
    expect(joined[0]).toMatchObject({ function: 'main.serveAllocRequest', share_pct: 79.4 });
    expect(String(joined[0]!.why)).toMatch(/^moved to heap: buf \(captured by a closure/);
    expect(String(joined[1]!.why)).toMatch(/^id escapes to heap \(converted to an interface/);
    expect(joined[2]!.why).toBeNull();
    expect(joined[3]!.why).toBeNull();
    expect(r.facts.sites_explained).toBe(2);
    expect(String(r.facts.sites_text).split('\n')[0]).toBe(
      "- leaky/alloc_hot_escape.go:17 main.serveAllocRequest: 79.4 % of the bytes, 24.6 % of the objects allocated (33.3 MiB/s): moved to heap: buf (captured by a closure that outlives the call), through `buf` (captured by a closure) at ./alloc_hot_escape.go:21:42 — fix: don't capture it in a closure that outlives the call: pass it as an argument, or call the closure in place",
    );
    expect(r.warnings.map((w) => w.message)).toEqual(['option sites: 1 item(s) skipped (each needs file and line)']);
    expect(escapeParser.parse(text('leaky.m2.txt'), { sites: [] }).facts).toMatchObject({ sites: [], sites_explained: 0, sites_text: '- none: the heap profiles named no allocation site to explain' });
    // The inlined copy at the call site (mode_alloc.go:40) is not the site's line: not joined.
    expect((joined[0]!.escapes as Row[]).map((e) => e.position)).toEqual(['./alloc_hot_escape.go:17:6']);
  });

  it('refuses what is not escape output, says when the build failed, and when it is empty', () => {
    expect(escapeParser.parse('').error?.code).toBe('empty');
    expect(escapeParser.parse('hello\nworld\n').error?.code).toBe('unrecognised-format');
    // go's own complaint is quoted: it says what to fix (here, source is not the module).
    expect(escapeParser.parse('\npattern ./...: directory prefix . does not contain main module or its selected dependencies\n').error?.message).toMatch(/the output begins: pattern \.\/\.\.\.: directory prefix \. does not contain main module/);
    const failed = escapeParser.parse('# example.com/x\n./x.go:3:2: undefined: foo\n');
    expect(failed.error).toMatchObject({ code: 'invalid' });
    expect(failed.error?.message).toMatch(/undefined: foo/);
    // Output cut mid-block: the block still yields its entry, no throw.
    const cut = text('leaky.m2.txt').split('\n').slice(0, 112).join('\n');
    expect(escapeParser.parse(cut).error).toBeUndefined();
  });
});

describe('escape diff: what started escaping between two commits', () => {
  it('base (noescape) → head (escape): buf, the closure and id start escaping in the hot file', () => {
    const r = escapeDiffer.diff(text('leaky-noescape.m2.txt'), text('leaky.m2.txt'), { sites: [{ file: 'leaky/alloc_hot_escape.go', line: 17 }] });
    expect(r.error).toBeUndefined();
    const started = r.facts.started_escaping as Row[];
    expect(started[0]).toMatchObject({ file: './alloc_hot_escape.go', lines: [17], kind: 'moved-to-heap', what: 'buf', hot: true, count_before: 0, count_after: 1 });
    expect(started.filter((c) => c.file === './alloc_hot_escape.go').map((c) => c.what)).toEqual(['buf', 'func literal', 'id']);
    expect(r.facts.hot_started_count).toBe(1);
    // The inlined copy in the caller starts escaping too (mode_alloc.go:40).
    expect(started.some((c) => c.file === './mode_alloc.go' && c.what === 'buf')).toBe(true);
  });

  it('a build against itself changes nothing', () => {
    const r = escapeDiffer.diff(text('bufio.m2.txt'), text('bufio.m2.txt'));
    expect(r.facts).toMatchObject({ started_count: 0, stopped_escaping: [], started_text: '' });
  });

  it('line shifts alone are not regressions', () => {
    const base = text('container-list.m1.txt');
    const shifted = base.replace(/list\.go:(\d+):/g, (_, n: string) => `list.go:${Number(n) + 7}:`);
    expect(escapeDiffer.diff(base, shifted).facts.started_count).toBe(0);
  });

  it('the parser with option base gives the diff\'s facts', () => {
    const base = escapeParser.parse(text('leaky-noescape.m2.txt')).facts.entries;
    const viaParser = escapeParser.parse(text('leaky.m2.txt'), { base });
    const viaDiff = escapeDiffer.diff(text('leaky-noescape.m2.txt'), text('leaky.m2.txt'));
    expect(viaParser.facts.started_text).toBe(viaDiff.facts.started_text);
    expect(viaParser.facts.started_count).toBeGreaterThan(0);
  });
});

describe('escape parser and diff: total on any input', () => {
  const line = fc.oneof(
    fc.string(),
    fc.constantFrom('moved to heap: x', 'x escapes to heap', 'x escapes to heap:', '  flow: {heap} = &x:', '    from x (assign) at ./a.go:1:2', 'leaking param: p to result ~r0 level=0', 'parameter p leaks to {heap} with derefs=0:', 'does not escape').map((m) => `./a.go:${1}:2: ${m}`),
  );
  it('never throws on arbitrary strings, bytes or option values; facts stay JSON', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.anything(), fc.anything(), (lines, sites, base) => {
        const r = escapeParser.parse(lines.join('\n'), { sites, base });
        expectJsonFacts(r.facts);
        expectJsonFacts(escapeDiffer.diff(lines.join('\n'), lines.slice(1).join('\n'), { sites }).facts);
      }),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => expectJsonFacts(escapeParser.parse(bytes).facts)));
  });

  it('survives every truncation of a real -m=2 output', () => {
    const output = text('leaky.m2.txt');
    for (let cut = 0; cut < output.length; cut += 997) expectJsonFacts(escapeParser.parse(output.slice(0, cut)).facts);
  });
});
