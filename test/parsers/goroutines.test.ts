import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goroutinesParser } from '../../src/parsers/goroutines.js';
import { StackDumpReader, type DumpedGoroutine } from '../../src/parsers/goroutines/stack-dump.js';
import type { ParseWarning } from '../../src/parsers/types.js';
import { fixture } from './pprof-peer.js';
import { expectJsonFacts } from './facts-json.js';

const peerDir = fileURLToPath(new URL('../fixtures/httppprof/goroutine_gostackparse/', import.meta.url));
const peerCases = readdirSync(peerDir).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4));

/** Every goroutine of a debug=2 text and the warnings, as the parser reads them line by line. */
function parseStackDump(text: string): { goroutines: DumpedGoroutine[]; warnings: ParseWarning[] } {
  const goroutines: DumpedGoroutine[] = [];
  const warnings: ParseWarning[] = [];
  const reader = new StackDumpReader((g) => goroutines.push(g), (w) => warnings.push(w));
  const lines = text.split('\n');
  lines.forEach((line, i) => reader.line(line, i + 1));
  reader.end(lines.length, text.endsWith('\n'));
  return { goroutines, warnings };
}

interface PeerFrame { Func: string; File: string; Line: number }
interface PeerGoroutine {
  ID: number; State: string; Wait: number; LockedToThread: boolean; Stack: PeerFrame[];
  FramesElided: boolean; CreatedBy: PeerFrame | null; Ancestor?: PeerGoroutine | null;
}

/** Our model in gostackparse's shape. Mapping: Wait is a time.Duration in ns (we keep minutes);
 *  gostackparse has no "created in goroutine N" field (we add createdByGoroutine); ancestors nest
 *  the same way. gostackparse drops a goroutine that had a parse error, we keep it marked
 *  `incomplete` (a truncated dump still counts), so incomplete ones are left out here. */
function asPeer(g: DumpedGoroutine): PeerGoroutine {
  const frame = (f: { func: string; file: string; line: number }): PeerFrame => ({ Func: f.func, File: f.file, Line: f.line });
  return {
    ID: g.id,
    State: g.state,
    Wait: g.waitMinutes * 60e9,
    LockedToThread: g.lockedToThread,
    Stack: g.stack.map(frame),
    FramesElided: g.framesElided,
    CreatedBy: g.createdBy ? frame(g.createdBy) : null,
    ...(g.ancestor ? { Ancestor: asPeer(g.ancestor) } : {}),
  };
}

describe('goroutines: agreement with DataDog/gostackparse golden results', () => {
  it.each(peerCases)('%s', (name) => {
    const golden = JSON.parse(fixture(`httppprof/goroutine_gostackparse/${name}.golden.json`).toString()) as {
      Errors: string[] | null; Goroutines: PeerGoroutine[] | null;
    };
    const dump = parseStackDump(fixture(`httppprof/goroutine_gostackparse/${name}.txt`).toString());
    // gostackparse omits "Ancestor" when there is none.
    const peer = (golden.Goroutines ?? []).map((g) => JSON.parse(JSON.stringify(g, (k, v) => (k === 'Ancestor' && v === null ? undefined : v))));
    expect(dump.goroutines.filter((g) => !g.incomplete).map(asPeer)).toEqual(peer);
    expect(dump.warnings.map((w) => w.message)).toEqual(golden.Errors ?? []);
  });

  it('covers every peer fixture', () => {
    expect(peerCases).toEqual(expect.arrayContaining(['ancestors', 'cgo', 'frameselided', 'go121_createdby', 'lockedm', 'partial_stack', 'waitsince', 'windows']));
  });
});

describe('goroutines parser: real dumps from the go1.19.8 test service', () => {
  it('debug=1: total, groups by count, top non-runtime frame', () => {
    const { facts, warnings } = goroutinesParser.parse(fixture('httppprof/local/goroutine_debug1_go1.19.8.txt'));
    expect(warnings).toEqual([]);
    expect(facts).toMatchObject({ format: 'debug=1', total: 508, groups_count: 5, truncated: false, states: null });
    const groups = facts.groups as Record<string, unknown>[];
    expect(groups.map((g) => g.count)).toEqual([500, 5, 1, 1, 1]);
    expect(groups[0]).toMatchObject({ top_function: 'main.leakGoroutines.func1', top_frame: '/home/ops/src/app/leaky/main.go:72' });
  });

  it('debug=2: the same groups, with states, creators and ids', () => {
    const { facts } = goroutinesParser.parse(fixture('httppprof/local/goroutine_debug2_go1.19.8.txt'));
    expect(facts).toMatchObject({ format: 'debug=2', total: 508, groups_count: 5, truncated: false });
    expect(facts.states).toEqual({ 'chan receive': 505, 'IO wait': 1, running: 1, runnable: 1 });
    const groups = facts.groups as Record<string, unknown>[];
    expect(groups.map((g) => g.count)).toEqual([500, 5, 1, 1, 1]);
    expect(groups[0]).toMatchObject({ state: 'chan receive', created_by: 'main.leakGoroutines', top_function: 'main.leakGoroutines.func1' });
  });

  it('a dump cut mid-line (the 64 MB limit) is flagged truncated, with the goroutines read so far', () => {
    const text = fixture('httppprof/local/goroutine_debug2_go1.19.8.txt').toString();
    const { facts, warnings } = goroutinesParser.parse(text.slice(0, 50_000));
    expect(facts.truncated).toBe(true);
    expect(facts.total).toBeGreaterThan(200);
    expect(warnings.at(-1)?.message).toMatch(/ends inside a goroutine/);
  });

  it('a debug=1 dump whose records fall short of the header is flagged truncated', () => {
    const text = fixture('httppprof/local/goroutine_debug1_go1.19.8.txt').toString();
    const { facts } = goroutinesParser.parse(text.slice(0, text.indexOf('\n\n') + 2));
    expect(facts).toMatchObject({ total: 508, truncated: true });
  });

  it('reads Go 1.21 "created by … in goroutine N", waits and locked threads', () => {
    const dump = parseStackDump(fixture('httppprof/goroutine_gostackparse/go121_createdby.txt').toString());
    expect(dump.goroutines[0]).toMatchObject({ createdByGoroutine: 1 });
    const { facts } = goroutinesParser.parse(fixture('httppprof/goroutine_gostackparse/waitsince.txt'));
    expect(facts.max_wait_minutes).toBeGreaterThan(0);
  });

  it('reads Go 1.23 GOTRACEBACK=system headers and crash tracebacks without a stack', () => {
    const text = [
      'goroutine 1 gp=0xc000002380 m=0 mp=0x5a8f60 [running]:',
      'main.main()',
      '\t/src/main.go:9 +0x1d fp=0xc000067f50 sp=0xc000067f30 pc=0x46a87d',
      '',
      'goroutine 7 gp=0xc000003180 m=nil [running]:',
      'goroutine running on other thread; stack unavailable',
      '',
    ].join('\n');
    const dump = parseStackDump(text);
    expect(dump.warnings).toEqual([]);
    expect(dump.goroutines.map((g) => [g.id, g.state, g.stack.length, g.stackUnavailable])).toEqual([[1, 'running', 1, false], [7, 'running', 0, true]]);
    expect(dump.goroutines[0]!.stack[0]).toEqual({ func: 'main.main', file: '/src/main.go', line: 9 });
  });

  it('caps groups with options.max_groups but counts them all', () => {
    const { facts } = goroutinesParser.parse(fixture('httppprof/local/goroutine_debug2_go1.19.8.txt'), { max_groups: 2 });
    expect((facts.groups as unknown[]).length).toBe(2);
    expect(facts.groups_count).toBe(5);
  });

  it('rejects other text', () => {
    expect(goroutinesParser.parse('heap profile: 1: 2 [3: 4] @ heap/1').error?.code).toBe('unrecognised-format');
    expect(goroutinesParser.parse('').error?.code).toBe('empty');
  });
});

// runtime/pprof printCountProfile layout.
function renderDebug1(groups: { count: number; frames: { func: string; file: string; line: number }[] }[]): string {
  const total = groups.reduce((s, g) => s + g.count, 0);
  const body = groups.map((g, i) => {
    const pcs = g.frames.map((_, j) => `0x${(0x400000 + i * 256 + j).toString(16)}`);
    return [`${g.count} @ ${pcs.join(' ')}`, ...g.frames.map((f, j) => `#\t${pcs[j]}\t${f.func}+0x1a\t\t${f.file}:${f.line}`)].join('\n');
  });
  return `goroutine profile: total ${total}\n${body.join('\n\n')}\n\n`;
}

describe('goroutines parser: properties', () => {
  const frameArb = fc.record({
    func: fc.stringMatching(/^main\.[a-z]\w{0,10}$/),
    file: fc.stringMatching(/^\/src\/[a-z]{1,8}\.go$/),
    line: fc.integer({ min: 1, max: 5000 }),
  });
  it('parse(render(debug=1 groups)) returns the groups, merged by stack and sorted by count', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ count: fc.integer({ min: 1, max: 1000 }), frames: fc.array(frameArb, { minLength: 1, maxLength: 6 }) }), { maxLength: 12 }), (groups) => {
        const { facts, warnings } = goroutinesParser.parse(renderDebug1(groups));
        expect(warnings).toEqual([]);
        const merged = new Map<string, number>();
        for (const g of groups) {
          const key = g.frames.map((f) => `${f.func} ${f.file}:${f.line}`).join('\n');
          merged.set(key, (merged.get(key) ?? 0) + g.count);
        }
        const got = facts.groups as { count: number; frames: string[] }[];
        expect(new Map(got.map((g) => [g.frames.join('\n'), g.count]))).toEqual(merged);
        expect(got.map((g) => g.count)).toEqual([...got.map((g) => g.count)].sort((a, b) => b - a));
        expect(facts.total).toBe(groups.reduce((s, g) => s + g.count, 0));
      }),
    );
  });

  it('never throws on arbitrary text, bytes, or any prefix of a real dump', () => {
    const real = fixture('httppprof/local/goroutine_debug2_go1.19.8_before.txt').toString();
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 }), fc.nat(real.length).map((n) => real.slice(0, n))), (input) => {
        expectJsonFacts(goroutinesParser.parse(input).facts);
      }),
      { numRuns: 2000 },
    );
  });
});
