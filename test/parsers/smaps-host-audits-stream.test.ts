// proc-smaps and its diff, host-cpu and the source audits read in chunks (issue 17 item 4): any
// split of the input gives what one parse of the whole gives, and what they cannot hold is an
// error naming the limit, not a crash.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { smapsDiffer } from '../../src/diffs/smaps.js';
import { cgoAuditParser } from '../../src/parsers/cgo-audit.js';
import { contextCancelAuditParser } from '../../src/parsers/context-cancel-audit.js';
import { MAX_AUDIT_FINDINGS, MAX_GO_FILES } from '../../src/parsers/go-source-lines.js';
import { hostCpuParser } from '../../src/parsers/host-cpu.js';
import { httpBodyAuditParser } from '../../src/parsers/http-body-audit.js';
import { procSmapsParser } from '../../src/parsers/proc-smaps.js';
import { MAX_SMAPS_MAPPINGS } from '../../src/parsers/proc-smaps/entries.js';
import { expectEveryDiffSplit, expectEverySplit } from '../helpers/feed-in-pieces.js';

const fixture = (path: string): Buffer => readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
const leakyDir = fileURLToPath(new URL('../go/leaky', import.meta.url));
/** `grep -rnH '' test/go/leaky`, as the audits' steps run it. */
const leakyGrep = Buffer.from(
  readdirSync(leakyDir)
    .filter((name) => name.endsWith('.go'))
    .map((name) => readFileSync(`${leakyDir}/${name}`, 'utf8').split('\n').map((line, i) => `${leakyDir}/${name}:${i + 1}:${line}\n`).join(''))
    .join(''),
);

describe('read in chunks: any split gives the parse of the whole', () => {
  it('proc-smaps and the smaps diff', () => {
    const before = fixture('proc/local/leaky_before/proc_smaps.txt');
    const after = fixture('proc/local/leaky_after/proc_smaps.txt');
    expectEverySplit(() => procSmapsParser.stream(), after, procSmapsParser.parse(after));
    expectEveryDiffSplit(smapsDiffer, before, after, smapsDiffer.diff(before, after));
  });

  it('host-cpu', () => {
    for (const name of ['v1_throttled_quota_0.2cpu', 'v1_unthrottled_loaded_host']) {
      const bytes = fixture(`proc/local/host_cpu/${name}`);
      const whole = hostCpuParser.parse(bytes);
      expect(whole.error).toBeUndefined();
      expectEverySplit(() => hostCpuParser.stream(), bytes, whole);
    }
  });

  it('cgo-audit, http-body-audit and context-cancel-audit on the test service', () => {
    for (const parser of [cgoAuditParser, httpBodyAuditParser, contextCancelAuditParser]) {
      const whole = parser.parse(leakyGrep);
      expect(whole.facts['files']).toBeGreaterThan(3);
      expectEverySplit(() => parser.stream(), leakyGrep, whole);
    }
  });
});

describe('limits are errors naming them', () => {
  it('proc-smaps: more mappings than it keeps', () => {
    const entry = (i: number) => `${(0x10000 + i * 16).toString(16)}000-${(0x10000 + i * 16 + 1).toString(16)}000 rw-p 00000000 00:00 0\nRss: 4 kB\nAnonymous: 4 kB\n`;
    const stream = procSmapsParser.stream();
    const extra = 3;
    for (let at = 0; at < MAX_SMAPS_MAPPINGS + extra; at += 10_000) {
      stream.write(Buffer.from(Array.from({ length: Math.min(10_000, MAX_SMAPS_MAPPINGS + extra - at) }, (_, k) => entry(at + k)).join('')));
    }
    const { facts, error } = stream.end();
    expect(facts['mappings']).toBe(MAX_SMAPS_MAPPINGS);
    expect(facts['anon_kb']).toBe(4 * MAX_SMAPS_MAPPINGS);
    expect(error).toEqual({ code: 'invalid', message: expect.stringContaining(`more than 1,000,000 mappings, the most the smaps reader keeps: ${extra} after that were left out`) as string });
  });

  it('the audits: more findings, or more files, than they keep', () => {
    const calls = Array.from({ length: MAX_AUDIT_FINDINGS + 2 }, (_, i) => `a.go:${i + 2}:\tp := C.malloc(8)\n`).join('');
    const cgo = cgoAuditParser.parse(`a.go:1:func f() {\n${calls}`);
    expect(cgo.facts['allocations']).toBe(MAX_AUDIT_FINDINGS);
    expect(cgo.error?.message).toContain('more than 100,000 C allocations, the most a source audit lists: 2 after that were left out');
    const files = Array.from({ length: MAX_GO_FILES + 1 }, (_, i) => `f${i}.go:1:package main\n`).join('');
    const walk = contextCancelAuditParser.parse(files);
    expect(walk.facts['files']).toBe(MAX_GO_FILES);
    expect(walk.error?.message).toContain('more than 200,000 Go files, the most a source audit reads');
  });

  it('host-cpu: a section larger than it keeps', () => {
    const bytes = fixture('proc/local/host_cpu/v1_unthrottled_loaded_host').toString('utf8');
    const padded = bytes.replace('== loadavg', `${'cpu9 1 2 3 4 5 6 7 8 9 10\n'.repeat(200_000)}== loadavg`);
    const { facts, error } = hostCpuParser.parse(padded);
    expect(error?.message).toBe('the stat section is larger than 4 MiB, the most host-cpu keeps of one section: the lines after that were left out (is this host_cpu evidence?)');
    expect(facts['busy_percent']).toBe(hostCpuParser.parse(bytes).facts['busy_percent']);
  });
});
