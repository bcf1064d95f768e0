// Fuzz pass, kept as tests (issue 17, item 6): every parser and diff meets random bytes,
// truncated and bit-flipped real evidence, and the CLI meets broken bundles. Nothing may
// throw, exit 70 or print a stack; a bundle problem is a failed step or a clear message.
// (Huge inputs and streaming are item 4's, tested with the parsers.)
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getParser, parserNames } from '../../src/parsers/registry.js';
import { differKinds, getDiffer } from '../../src/diffs/registry.js';
import { repoRoot, runCli } from '../helpers/cli.js';

/** Real evidence of every kind: the example bundle's snapshot files and the gctrace log. */
const snapshot = join(repoRoot, 'examples/go-heap-leak/snapshots/0');
const samples: Buffer[] = [
  ...readdirSync(snapshot).map((file) => readFileSync(join(snapshot, file))),
  readFileSync(join(repoRoot, 'examples/go-heap-leak/gctrace.log')),
];

const hostile = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }),
  fc.string({ maxLength: 2000 }),
  // Real evidence cut at any point, or with a byte changed.
  fc.tuple(fc.constantFrom(...samples), fc.double({ min: 0, max: 1, noNaN: true })).map(([bytes, at]) => bytes.subarray(0, Math.floor(bytes.length * at))),
  fc.tuple(fc.constantFrom(...samples), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([bytes, at, value]) => {
    const copy = Buffer.from(bytes);
    if (copy.length > 0) copy[at % copy.length] = value;
    return copy;
  }),
);

describe('parsers and diffs are total', () => {
  for (const name of parserNames()) {
    it(`${name}: any input gives a result, never a throw`, () => {
      const parser = getParser(name)!;
      fc.assert(
        fc.property(hostile, (input) => {
          const result = parser.parse(input);
          expect(typeof result.facts).toBe('object');
          expect(Array.isArray(result.warnings)).toBe(true);
        }),
        { numRuns: 60 },
      );
    });
  }
  for (const kind of differKinds()) {
    it(`diff ${kind}: any pair of inputs gives a result, never a throw`, () => {
      const differ = getDiffer(kind)!;
      fc.assert(
        fc.property(hostile, hostile, (before, after) => {
          expect(typeof differ.diff(before, after).facts).toBe('object');
        }),
        { numRuns: 40 },
      );
    });
  }
});

function noBug(result: { exitCode: number; stderr: string; stdout: string }, what: string): void {
  expect(result.exitCode, `${what}: ${result.stderr}`).not.toBe(70);
  expect(result.stderr + result.stdout, what).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(result.stderr, what).not.toContain('internal error');
}

describe('the CLI on hostile files', () => {
  it('runbook parse: binary, empty and truncated files are facts or a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-hostile-'));
    try {
      const files = {
        binary: Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 131 + 7) % 256)),
        empty: Buffer.alloc(0),
        truncated: samples[samples.length - 1]!.subarray(0, 777),
      };
      for (const [kind, bytes] of Object.entries(files)) writeFileSync(join(dir, kind), bytes);
      // Every parser meets these in-process above; the CLI path is the same for all of them.
      for (const parser of ['gctrace', 'proc-maps', 'pprof']) {
        for (const kind of Object.keys(files)) noBug(await runCli(['parse', parser, join(dir, kind), '--json']), `parse ${parser} ${kind}`);
      }
      noBug(await runCli(['parse', 'gctrace', join(dir, 'no-such-file')]), 'parse a missing file');
      noBug(await runCli(['parse', 'gctrace', dir]), 'parse a directory');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('a bundle with missing, extra, malformed and truncated snapshot files: a clear run, no bug', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-bundle-'));
    const state = join(dir, 'state');
    const breakages: Record<string, (bundle: string) => void> = {
      'missing files': (b) => {
        for (const file of ['heap.pb.gz', 'status', 'vars.json']) rmSync(join(b, 'snapshots/1', file));
      },
      'extra files and a third snapshot': (b) => {
        writeFileSync(join(b, 'snapshots/0/unexpected.bin'), Buffer.alloc(1024, 0xff));
        cpSync(join(b, 'snapshots/1'), join(b, 'snapshots/2'), { recursive: true });
      },
      'malformed files': (b) => {
        for (const file of readdirSync(join(b, 'snapshots/0'))) writeFileSync(join(b, 'snapshots/0', file), '\x00\xff{not what it claims');
      },
      'truncated files': (b) => {
        for (const file of readdirSync(join(b, 'snapshots/1'))) {
          const path = join(b, 'snapshots/1', file);
          writeFileSync(path, readFileSync(path).subarray(0, Math.floor(statSync(path).size / 3)));
        }
      },
      'no snapshots at all, broken meta.json': (b) => {
        rmSync(join(b, 'snapshots'), { recursive: true });
        writeFileSync(join(b, 'meta.json'), '{"pid": "not a number"');
      },
      'a file where a snapshot dir should be': (b) => {
        rmSync(join(b, 'snapshots/1'), { recursive: true });
        writeFileSync(join(b, 'snapshots/1'), 'x');
      },
    };
    try {
      for (const [name, breakIt] of Object.entries(breakages)) {
        const bundle = join(dir, name.replace(/\W+/g, '-'));
        cpSync(join(repoRoot, 'examples/go-heap-leak'), bundle, { recursive: true });
        breakIt(bundle);
        const result = await runCli(['run', 'go-memory', '--bundle', bundle, '--non-interactive'], { env: { RUNBOOK_STATE_DIR: state } });
        noBug(result, name);
        // It ran to an end it could explain: a conclusion, a failed step, or a message.
        expect(result.stderr.trim(), name).not.toBe('');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
