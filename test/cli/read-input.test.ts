// `runbook parse FILE` and `runbook diff KIND BEFORE AFTER` feed a streaming parser chunk by chunk: only a failed read is
// "cannot read FILE"; what the parser throws (a bug) is its own failure, not a bad path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamDiffInputs, streamInput } from '../../src/cli/read-input.js';
import type { LockstepDiffStream } from '../../src/parsers/types.js';

describe('streamInput', () => {
  it('passes on what the sink throws, and names a read failure as one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-read-input-'));
    try {
      const file = join(dir, 'input');
      writeFileSync(file, 'text\n');
      const failure = new RangeError('Map maximum size exceeded');
      await expect(streamInput(file, () => { throw failure; })).rejects.toBe(failure);
      await expect(streamInput(dir, () => undefined)).rejects.toThrow(`cannot read ${dir} (EISDIR)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('streamDiffInputs', () => {
  it('reads two files as a lockstep diff asks, a chunk at a time from the side it waits for, ending each at its end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-read-input-'));
    try {
      // 2.5 and 1.5 MiB: three and two of the reader's 1 MiB chunks.
      writeFileSync(join(dir, 'before'), Buffer.alloc(5 * 2 ** 19, 'b'));
      writeFileSync(join(dir, 'after'), Buffer.alloc(3 * 2 ** 19, 'a'));
      const events: string[] = [];
      // Asks for before, after, after, before, …: what a merge asks when one side runs ahead.
      const asks = ['before', 'after', 'after', 'before', 'after', 'before', 'before'] as const;
      let asked = 0;
      const side = (name: string) => ({
        write: (chunk: Uint8Array) => void events.push(`${name} ${chunk.length / 2 ** 19}`),
        end: () => void events.push(`${name} end`),
      });
      const stream: LockstepDiffStream = {
        before: side('before'),
        after: side('after'),
        waitingFor: () => asks[asked] ?? null,
        end: () => ({ facts: {}, warnings: [] }),
      };
      const counted = (original: { write(chunk: Uint8Array): void; end(): void }) => ({
        write: (chunk: Uint8Array) => { original.write(chunk); asked++; },
        end: () => { original.end(); asked++; },
      });
      stream.before = counted(stream.before);
      stream.after = counted(stream.after);
      expect(await streamDiffInputs(join(dir, 'before'), join(dir, 'after'), stream)).toEqual([join(dir, 'before'), join(dir, 'after')]);
      expect(events).toEqual(['before 2', 'after 2', 'after 1', 'before 2', 'after end', 'before 1', 'before end']);
      await expect(streamDiffInputs(join(dir, 'before'), join(dir, 'missing'), stream)).rejects.toThrow(`cannot read ${join(dir, 'missing')} (ENOENT)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
