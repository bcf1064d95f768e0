// What the streamed proc-smaps, host-cpu and source audits keep is bounded by what their facts
// need, not by the input's lines (review of the streaming change): a line cut at 64 KiB still
// moves the raw-string state by its whole text, kept names are copies with a length cap, a
// function's C.free set and the kept sections and paths have limits, CRLF grep output reads as
// LF. Peak memory is compared at two input sizes (the growth is what is bounded).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cgoAuditParser, MAX_FREES_PER_FUNCTION } from '../../src/parsers/cgo-audit.js';
import { contextCancelAuditParser } from '../../src/parsers/context-cancel-audit.js';
import { MAX_GO_LINE_BYTES, MAX_GO_NAME_BYTES, MAX_GO_PATH_BYTES } from '../../src/parsers/go-source-lines.js';
import { httpBodyAuditParser } from '../../src/parsers/http-body-audit.js';
import { procSmapsParser } from '../../src/parsers/proc-smaps.js';
import { MAX_MAPS_PATH_BYTES } from '../../src/parsers/proc-maps/line-scan.js';
import { expectEverySplit } from '../helpers/feed-in-pieces.js';
import { runCliMeasured } from '../helpers/peak-rss.js';

/** A raw string opened on a line longer than the cut, closed in the cut part, then a leak. */
function rawStringCutGrep(tail: string): string {
  const asset = `svc/a.go:3:var asset = \`${'A'.repeat(MAX_GO_LINE_BYTES + 4000)}${tail}\n`;
  return [
    'svc/a.go:1:package main',
    'svc/a.go:2:import ("context"; "net/http")',
    asset.slice(0, -1),
    'svc/a.go:4:func leak() {',
    'svc/a.go:5:\tresp, _ := http.Get("http://x")',
    'svc/a.go:6:\tctx, cancel := context.WithCancel(context.Background())',
    'svc/a.go:7:\tprintln(resp.StatusCode, ctx)',
    'svc/a.go:8:}',
    '',
  ].join('\n');
}

describe('a line cut at 64 KiB: the raw-string state follows the whole line', () => {
  // The closing backquote lies in the cut part: counted, the leak after it is code.
  for (const [name, tail] of [
    ['a closing backquote', '`'],
    ['a closing backquote and a rune literal', "` + string('`')"],
  ] as const) {
    it(`${name} in the dropped part`, () => {
      const grep = Buffer.from(rawStringCutGrep(tail));
      const http = httpBodyAuditParser.parse(grep);
      expect(http.facts['unclosed']).toBe(1);
      expect(http.facts['unclosed_list']).toContain('main.leak (svc/a.go:5)');
      expect(http.warnings.map((w) => w.message)).toContain(
        '1 lines longer than 64 KiB were read up to there (the first: input line 3, svc/a.go:3): what the rest of those lines held was not audited; raw strings are still followed (the backquotes of the cut parts were counted)',
      );
      const ctx = contextCancelAuditParser.parse(grep);
      expect(ctx.facts['never_cancelled']).toBe(1);
      // Cut while carried across chunks as well as inside one chunk.
      expectEverySplit(() => httpBodyAuditParser.stream(), grep, http);
      expectEverySplit(() => contextCancelAuditParser.stream(), grep, ctx);
    });
  }
});

const leakyDir = fileURLToPath(new URL('../go/leaky', import.meta.url));
const leakyGrep = readdirSync(leakyDir)
  .filter((name) => name.endsWith('.go'))
  .map((name) => readFileSync(`${leakyDir}/${name}`, 'utf8').split('\n').map((line, i) => `${leakyDir}/${name}:${i + 1}:${line}\n`).join(''))
  .join('');

describe('grep output with CRLF line ends', () => {
  it('gives each audit the findings of the LF output', () => {
    const crlf = leakyGrep.replaceAll('\n', '\r\n');
    for (const [parser, counted] of [[cgoAuditParser, 'allocations'], [httpBodyAuditParser, 'responses'], [contextCancelAuditParser, 'derived']] as const) {
      const lf = parser.parse(leakyGrep);
      expect(lf.facts[counted]).toBeGreaterThan(0);
      expect(parser.parse(crlf)).toEqual(lf);
    }
  });
});

describe('kept names are capped copies', () => {
  it('a file path past PATH_MAX and a function name past the cap are cut there, with a warning', () => {
    const file = `${'d/'.repeat(MAX_GO_PATH_BYTES)}a.go`;
    const name = `F${'x'.repeat(MAX_GO_NAME_BYTES)}`;
    const { facts, warnings } = cgoAuditParser.parse(`${file}:1:func ${name}() {\n${file}:2:\tp := C.malloc(8)\n${file}:3:}\n`);
    const [call] = facts['calls'] as { file_line: string; function: string }[];
    expect(Buffer.byteLength(call!.file_line)).toBe(MAX_GO_PATH_BYTES + ':2'.length);
    expect(Buffer.byteLength(call!.function)).toBe(MAX_GO_NAME_BYTES);
    const messages = warnings.map((w) => w.message).join('\n');
    expect(messages).toContain(`a file path longer than ${MAX_GO_PATH_BYTES} bytes was cut there`);
    expect(messages).toContain(`a function name longer than ${MAX_GO_NAME_BYTES} bytes was cut there`);
  });
});

describe('cgo-audit: the C.free arguments of one function', () => {
  it('past the limit: an error naming the function and the limit, not a crash', () => {
    const frees = Array.from({ length: MAX_FREES_PER_FUNCTION + 1 }, (_, i) => `g.go:${i + 3}:\tC.free(unsafe.Pointer(p${i}))\n`).join('');
    const { facts, error } = cgoAuditParser.parse(`g.go:1:func gen() {\ng.go:2:\tp := C.malloc(8)\n${frees}g.go:${MAX_FREES_PER_FUNCTION + 4}:}\n`);
    expect(facts['allocations']).toBe(1);
    expect(error).toEqual({
      code: 'invalid',
      message: expect.stringContaining(`main.gen (g.go:${MAX_FREES_PER_FUNCTION + 3}) frees more than 100,000 distinct expressions, the most cgo-audit keeps of one function`) as string,
    });
  });
});

describe('proc-smaps: a kept path', () => {
  it('is cut at PATH_MAX and " (deleted)", with a warning', () => {
    const path = `/${'p'.repeat(10_000)}`;
    const { facts, warnings } = procSmapsParser.parse(`10000-11000 r--p 00000000 08:01 7   ${path}\nRss: 4 kB\n`);
    expect(JSON.stringify(facts)).toContain(path.slice(0, MAX_MAPS_PATH_BYTES));
    expect(JSON.stringify(facts)).not.toContain(path.slice(0, MAX_MAPS_PATH_BYTES + 1));
    expect(warnings.map((w) => w.message)).toContain('1 paths longer than 4106 bytes (PATH_MAX and " (deleted)") were kept up to there');
  });
});

describe('peak memory grows with what is kept, not with the lines', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-stream-bounds-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Peak RSS (KiB) of `runbook parse PARSER` over `make(n)` at two sizes; both runs' facts. */
  async function peaks(parser: string, make: (n: number) => string, [small, large]: [number, number]): Promise<{ growthKb: number; facts: Record<string, unknown>[] }> {
    const runs = [];
    for (const n of [small, large]) {
      const file = join(dir, `${parser}-${n}`);
      writeFileSync(file, make(n));
      const run = await runCliMeasured(['parse', parser, file, '--json']);
      rmSync(file);
      expect(run.stderr).not.toContain('cannot read');
      runs.push(run);
    }
    return { growthKb: runs[1]!.peakKb - runs[0]!.peakKb, facts: runs.map((run) => (JSON.parse(run.stdout) as { facts: Record<string, unknown> }).facts) };
  }

  it('cgo-audit: allocations on 20 KiB lines keep their names, not their lines', { timeout: 120_000 }, async () => {
    const pad = 'x'.repeat(20_000);
    const grep = (n: number) => `svc/internal/pkg/cgo_wrapper.go:1:func f() {\n${Array.from({ length: n }, (_, i) => `svc/internal/pkg/cgo_wrapper.go:${i + 2}:\tpointer${i} := C.malloc(8) // ${pad}\n`).join('')}`;
    const { growthKb, facts } = await peaks('cgo-audit', grep, [1000, 5000]);
    expect(facts.map((f) => f['allocations'])).toEqual([1000, 5000]);
    // Keeping each line took 103 MB more for the 4,000 more allocations (182 against 79 MB);
    // names only, 13 MB more on an idle machine. The bound leaves room for the garbage
    // collector running late on a loaded machine (56 MB of slack seen in a CI run).
    expect(growthKb).toBeLessThan(70 * 1024);
  });

  it('host-cpu: sections the facts do not read are not kept', { timeout: 120_000 }, async () => {
    const section = `${'cpu0 1 2 3 4 5 6 7 8 9\n'.repeat(40_000)}`;
    const samples = '== sample 1 1000\n== stat /proc/stat\ncpu 1 0 1 10 0 0 0 0 0 0\n== loadavg /proc/loadavg\n0.1 0.1 0.1 1/100 1\n== sample 2 2000\n== stat /proc/stat\ncpu 2 0 2 20 0 0 0 0 0 0\n== loadavg /proc/loadavg\n0.1 0.1 0.1 1/100 1\n';
    const evidence = (n: number) => `${Array.from({ length: n }, (_, i) => `== extra${i} /proc/x\n${section}`).join('')}${samples}`;
    const { growthKb, facts } = await peaks('host-cpu', evidence, [10, 90]);
    expect(facts[0]).toEqual(facts[1]);
    // 80 more sections of 0.9 MB: kept, 331 MB more (449 against 118 MB); skipped, none. The
    // bound leaves room for the garbage collector running late on a loaded machine.
    expect(growthKb).toBeLessThan(100 * 1024);
  });

  it('proc-smaps: distinct 30 KB paths keep at most PATH_MAX bytes each', { timeout: 120_000 }, async () => {
    const pad = 'p'.repeat(30_000);
    const smaps = (n: number) =>
      Array.from({ length: n }, (_, i) => `${(0x100000 + 2 * i).toString(16)}000-${(0x100000 + 2 * i + 1).toString(16)}000 r--p 00000000 08:01 ${i + 1}   /${String(i).padStart(12, '0')}/${pad}\nRss: 4 kB\nAnonymous: 0 kB\n`).join('');
    const { growthKb, facts } = await peaks('proc-smaps', smaps, [500, 2500]);
    expect(facts.map((f) => f['mappings'])).toEqual([500, 2500]);
    // Whole, 2,000 more paths took 120 MB more (bytes and decoded string, 30 KB each). Capped,
    // they keep ~8 KB each (16 MB): 8 MB more on an idle machine, 56 MB in a loaded CI run
    // (the garbage collector lets the heap grow further when it runs late); 80 MB still tells
    // the two apart.
    expect(growthKb).toBeLessThan(80 * 1024);
  });
});
